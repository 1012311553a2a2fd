using System.Diagnostics;
using System.Text;
using Xunit;

namespace Courier.EndToEnd.Support;

/// <summary>
/// The `courier` CLI as a child process (<c>dotnet Courier.Cli.dll …</c>), with its output captured for failure
/// messages. Disposing kills it if it is still running, so a failed test never leaves a dispatcher behind.
/// </summary>
internal sealed class CourierProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();

    private CourierProcess(Process process) => _process = process;

    /// <summary>
    /// The CLI next to the test assembly: Courier.EndToEnd references Courier.Cli, so the build copies
    /// Courier.Cli.dll with its runtimeconfig and deps files into this output directory.
    /// </summary>
    public static string CliPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Courier.Cli.dll");
            Assert.True(File.Exists(path), $"Courier.Cli.dll is not next to the tests in {AppContext.BaseDirectory}; does Courier.EndToEnd still reference Courier.Cli?");
            Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"Courier.Cli.runtimeconfig.json is missing in {AppContext.BaseDirectory}");
            return path;
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    public static CourierProcess Start(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo
        {
            // The same dotnet that runs the tests (the SDK sets DOTNET_HOST_PATH for test hosts).
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["NO_COLOR"] = "1";

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new CourierProcess(process);
        process.OutputDataReceived += (_, e) => child.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => child.Append("err", e.Data);
        Assert.True(process.Start(), "could not start " + startInfo.FileName);
        process.StandardInput.Close(); // no stdin, as on CI
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL to the process and its children: no shutdown hook, no drain, no final commit.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Waits for the process to exit by itself and returns its exit code; fails with its output after the deadline.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"courier (pid {_process.Id}) did not exit within {deadline.TotalSeconds:0} s. Output:\n{Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_outputLock)
        {
            _output.Append(stream).Append("| ").AppendLine(line);
        }
    }
}
