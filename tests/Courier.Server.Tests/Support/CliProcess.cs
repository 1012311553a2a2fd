using System.Diagnostics;
using System.Text;
using Xunit;

namespace Courier.Server.Tests.Support;

/// <summary>
/// The <c>courier</c> command as a child process (<c>dotnet Courier.Cli.dll …</c>): for what only a separate process
/// shows (a signal, a cluster other processes connect to). Disposing kills it if it is still running.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public static CliProcess Start(params string[] arguments) => Start(environment: null, arguments);

    /// <summary>Starts the command with <paramref name="environment"/> set on top of this process's (a null value unsets a variable).</summary>
    public static CliProcess Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        // Courier.Server.Tests references Courier.Cli, so the build puts Courier.Cli.dll and its runtimeconfig here.
        var cli = Path.Combine(AppContext.BaseDirectory, "Courier.Cli.dll");
        Assert.True(File.Exists(cli), $"Courier.Cli.dll is not next to the tests in {AppContext.BaseDirectory}");
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        Assert.True(process.Start(), "could not start " + startInfo.FileName);
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first line of stdout, once there is one.</summary>
    public async Task<string> FirstLineAsync(TimeSpan within)
    {
        await Eventually.TrueAsync(() => Task.FromResult(Stdout.Contains('\n', StringComparison.Ordinal) || _process.HasExited), within);
        Assert.False(string.IsNullOrEmpty(Stdout), $"courier printed nothing on stdout and exited; stderr:\n{Stderr}");
        return Stdout[..Stdout.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
    }

    /// <summary>Sends SIGTERM, as a service manager stopping it would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"courier (pid {_process.Id}) did not exit within {within.TotalSeconds:0} s; stderr:\n{Stderr}");
        }
        return _process.ExitCode;
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
            // Never started, or already gone.
        }
        _process.Dispose();
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            buffer.AppendLine(line);
        }
    }
}
