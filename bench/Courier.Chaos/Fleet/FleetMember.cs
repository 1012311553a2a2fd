using System.Globalization;
using Courier.Testing;

namespace Courier.Chaos.Fleet;

/// <summary>
/// One process slot of the fleet (a dispatcher or a runner): started through <see cref="ChildProcess"/>, killed with
/// SIGKILL and restarted by the schedule, its output appended to a log file. It remembers every pid it killed, and any
/// exit nobody asked for, with the process's last lines: a crash when the process had said it was ready, a refused
/// start when it had not (a dispatcher that cannot open its files on a full disk exits 3 with the reason, as it
/// should; a service manager would start it again, and so does this).
/// </summary>
internal sealed class FleetMember : IDisposable
{
    private const int MaxCrashRestarts = 20;

    private readonly Func<Action<bool, string>, Action, ChildProcess> _start;
    private readonly StreamWriter _log;
    private readonly Lock _lock = new();
    private readonly List<(int Pid, DateTimeOffset At)> _killed = [];
    private readonly List<string> _crashes = [];
    private readonly List<string> _refusedStarts = [];
    private readonly Func<bool, string, bool> _isReadyLine;
    private bool _ready;
    private ChildProcess? _process;
    private bool _stopping;
    private bool _exitExpected;

    public FleetMember(string name, string logPath, Func<bool, string, bool> isReadyLine, Func<Action<bool, string>, Action, ChildProcess> start)
    {
        Name = name;
        _isReadyLine = isReadyLine;
        _start = start;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
    }

    public string Name { get; }

    /// <summary>Called with each line of output (true for stderr), after it is logged.</summary>
    public Action<bool, string>? OnLine { get; init; }

    /// <summary>The running process's id, or null while it is down.</summary>
    public int? Pid
    {
        get
        {
            lock (_lock)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    /// <summary>Every pid killed with SIGKILL.</summary>
    public IReadOnlyList<int> Killed
    {
        get
        {
            lock (_lock)
            {
                return [.. _killed.Select(k => k.Pid)];
            }
        }
    }

    /// <summary>When each kill landed.</summary>
    public IReadOnlyList<DateTimeOffset> KilledAt
    {
        get
        {
            lock (_lock)
            {
                return [.. _killed.Select(k => k.At)];
            }
        }
    }

    /// <summary>Exits nobody asked for: pid, exit code and the last lines.</summary>
    public IReadOnlyList<string> Crashes
    {
        get
        {
            lock (_lock)
            {
                return [.. _crashes];
            }
        }
    }

    /// <summary>Exits before the process said it was ready, with the reason it gave.</summary>
    public IReadOnlyList<string> RefusedStarts
    {
        get
        {
            lock (_lock)
            {
                return [.. _refusedStarts];
            }
        }
    }

    /// <summary>Restarts after a kill or a crash.</summary>
    public int Restarts { get; private set; }

    public void Start()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return; // a restart due after the fleet was told to stop
            }
            _exitExpected = false;
            _ready = false;
            ChildProcess? started = null;
            started = _start(Line, () => Exited(started));
            _process = started;
            Write($"--- started pid {started.Id}");
        }
    }

    /// <summary>SIGKILL, a pause, then a fresh process. A member already down is left as it is (false).</summary>
    public async Task<bool> KillAndRestartAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        ChildProcess? process;
        lock (_lock)
        {
            process = _process;
            if (process is null || process.HasExited)
            {
                return false;
            }
            _exitExpected = true;
            _killed.Add((process.Id, DateTimeOffset.UtcNow));
            // Down until the restart: a second fault on this member meanwhile finds it down and skips, rather than
            // reaching for the process disposed below.
            _process = null;
        }
        process.KillHard();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Write($"--- killed pid {process.Id} (SIGKILL); restart in {pause.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        process.Dispose();
        await Task.Delay(pause, cancellationToken);
        lock (_lock)
        {
            if (_stopping)
            {
                return true; // the fleet was stopped during the pause: stay down
            }
            Restarts++;
            Start();
        }
        return true;
    }

    /// <summary>SIGTERM, and waits for the exit (a graceful stop: drain, commit).</summary>
    public async Task StopAsync()
    {
        ChildProcess? process;
        lock (_lock)
        {
            process = _process;
            _exitExpected = true;
            _stopping = true;
        }
        if (process is { HasExited: false })
        {
            await process.TerminateAsync();
            await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private void Exited(ChildProcess? process)
    {
        if (process is null)
        {
            return;
        }
        lock (_lock)
        {
            if (_exitExpected || !ReferenceEquals(process, _process))
            {
                return;
            }
        }
        // Its last lines arrive after the exit event: wait for the end of its output before quoting it — outside the
        // lock, which the output handler and a stop or dispose also take. (Nobody else disposes a process that exited
        // unasked: a kill or a stop sets _exitExpected first.)
        process.WaitForExitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        lock (_lock)
        {
            if (_exitExpected || !ReferenceEquals(process, _process))
            {
                return;
            }
            var what = $"{Name} pid {process.Id} exited with {process.ExitCode} unasked{(_ready ? "" : ", before it was ready")}:\n{process.Tail(15)}";
            (_ready ? _crashes : _refusedStarts).Add(what);
            if (_crashes.Count + _refusedStarts.Count > MaxCrashRestarts)
            {
                Write($"--- pid {process.Id} exited with {process.ExitCode} unasked (a crash); {MaxCrashRestarts} restarts after crashes already, left down");
                return;
            }
            Write($"--- pid {process.Id} exited with {process.ExitCode} unasked (a crash); restarting in 1 s");
            Restarts++;
        }
        // Keep the soak going: the crash is reported, and its jobs must still be accounted for.
        _ = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ => Start(), TaskScheduler.Default);
    }

    private void Line(bool error, string line)
    {
        if (!_ready && _isReadyLine(error, line))
        {
            lock (_lock)
            {
                _ready = true;
            }
        }
        Write((error ? "err| " : "out| ") + line);
        OnLine?.Invoke(error, line);
    }

    private void Write(string line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    public void Dispose()
    {
        ChildProcess? process;
        lock (_lock)
        {
            _exitExpected = true;
            _stopping = true;
            process = _process;
        }
        process?.Dispose(); // kills it if it still runs, and waits for its output: not under the lock its handlers take
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
