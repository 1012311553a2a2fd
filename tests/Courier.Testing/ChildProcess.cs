using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// A .NET program next to the test assembly (<c>dotnet X.dll …</c>) run as a child process, for what only a separate
/// process shows: a kill -9, a signal, several members of one group. Output is captured line by line (and handed to an
/// optional observer, e.g. to notice readiness); disposing kills the process tree if it is still running, so a failed
/// test never leaves a dispatcher or runner behind. Every test that starts a process goes through here: system
/// programs too (<see cref="StartProgram"/>), and those that speak bytes rather than lines (<see cref="RunBinaryAsync"/>).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly List<(bool Error, string Text)> _lines = [];
    private readonly Lock _lock = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output so far.</summary>
    public string Stdout => Join(error: false);

    /// <summary>Standard error so far.</summary>
    public string Stderr => Join(error: true);

    /// <summary>Both streams in arrival order, each line prefixed <c>out| </c> or <c>err| </c>.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return _lines.Select(l => (l.Error ? "err| " : "out| ") + l.Text).ToList();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="assembly"/> (a file name next to the test assembly) with the dotnet host running the tests,
    /// <paramref name="environment"/> on top of this process's (a null value unsets a variable).
    /// <paramref name="onLine"/> sees each line as it arrives (true for standard error), on a reader thread.
    /// Stdin is closed at once (as on CI), unless <paramref name="keepStdinOpen"/>: then it stays open until
    /// <see cref="CloseStdin"/>, for programs that take their stdin closing as the signal to stop gracefully.
    /// </summary>
    public static ChildProcess Start(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        Action<bool, string>? onLine = null, Action? onExit = null, bool keepStdinOpen = false)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly);
        Assert.True(File.Exists(path), $"{assembly} is not next to the tests in {AppContext.BaseDirectory}");
        Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"{Path.ChangeExtension(assembly, ".runtimeconfig.json")} is missing in {AppContext.BaseDirectory}");
        // The same dotnet that runs the tests (the SDK sets DOTNET_HOST_PATH for test hosts).
        var startInfo = StartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            [path, .. arguments], AppContext.BaseDirectory);
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }
        return Run(startInfo, Path.GetFileNameWithoutExtension(assembly), onLine, onExit, keepStdinOpen);
    }

    /// <summary>
    /// Starts a program of the system (<c>git</c>, <c>sleep</c>) found on the PATH, in <paramref name="workingDirectory"/>
    /// (the test directory when null), its stdin closed.
    /// </summary>
    public static ChildProcess StartProgram(string program, IEnumerable<string> arguments, string? workingDirectory = null) =>
        Run(StartInfo(program, arguments, workingDirectory ?? AppContext.BaseDirectory), program, onLine: null, onExit: null, keepStdinOpen: false);

    /// <summary>
    /// Runs a program of the system (<c>kcat</c>) found on the PATH or at a full path to its end, binary: writes
    /// <paramref name="input"/> (if any) to its stdin, closes it, and returns stdout as bytes, as written; stderr as text.
    /// Fails the test, killing the program, if it has not exited within <paramref name="within"/>.
    /// </summary>
    public static async Task<BinaryRun> RunBinaryAsync(string program, IEnumerable<string> arguments, byte[]? input, TimeSpan within)
    {
        var startInfo = StartInfo(program, arguments, AppContext.BaseDirectory);
        using var process = new Process { StartInfo = startInfo };
        Assert.True(process.Start(), "could not start " + program);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(within);
        try
        {
            var stdout = new MemoryStream();
            var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
            var readErr = process.StandardError.ReadToEndAsync(timeout.Token);
            if (input is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(input, timeout.Token);
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            await readOut;
            return new BinaryRun(process.ExitCode, stdout.ToArray(), await readErr);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', startInfo.ArgumentList)} did not finish within {within.TotalSeconds:0} s");
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = fileName,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return startInfo;
    }

    private static ChildProcess Run(ProcessStartInfo startInfo, string name, Action<bool, string>? onLine, Action? onExit, bool keepStdinOpen)
    {
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.OnLine(false, e.Data, onLine);
        process.ErrorDataReceived += (_, e) => child.OnLine(true, e.Data, onLine);
        if (onExit is not null)
        {
            process.Exited += (_, _) => onExit();
        }
        Assert.True(process.Start(), "could not start " + startInfo.FileName);
        if (!keepStdinOpen)
        {
            process.StandardInput.Close();
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Closes stdin: the stop signal of a program started with <c>keepStdinOpen</c>.</summary>
    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>SIGKILL to the process and its children: no shutdown hook, no drain, no final commit.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends SIGTERM, as a service manager stopping it would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = StartProgram("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, await kill.WaitForExitAsync(Eventually.DefaultBound));
    }

    /// <summary>Waits for the process to exit and returns its exit code; fails with its last output after <paramref name="within"/>.</summary>
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
            Assert.Fail($"{_name} (pid {_process.Id}) did not exit within {within.TotalSeconds:0} s. Output:\n{Tail()}");
        }
        return _process.ExitCode;
    }

    /// <summary>The last lines of both streams (those <paramref name="include"/> keeps), each prefixed with <paramref name="label"/>.</summary>
    public string Tail(int lines = 40, string? label = null, Func<string, bool>? include = null)
    {
        var all = Lines.Where(l => include?.Invoke(l) ?? true).ToList();
        var text = new StringBuilder();
        foreach (var line in all.Skip(Math.Max(0, all.Count - lines)))
        {
            if (label is not null)
            {
                text.Append(label).Append(' ');
            }
            text.AppendLine(line);
        }
        return text.ToString();
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

    private void OnLine(bool error, string? line, Action<bool, string>? observer)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _lines.Add((error, line));
        }
        observer?.Invoke(error, line);
    }

    private string Join(bool error)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            foreach (var line in _lines.Where(l => l.Error == error))
            {
                text.AppendLine(line.Text);
            }
            return text.ToString();
        }
    }
}
