namespace Courier.Sqlite.Groups;

/// <summary>
/// Decides whether the process recorded in a group member row has ended. Shared by the consumers of one
/// <see cref="SqliteJobLog"/>; thread-safe. Lookups are remembered for a moment, so several consumers checking the same
/// members (and the heavier process lookup on Windows) cost one lookup per pid per <see cref="CacheTime"/>.
/// </summary>
internal sealed class MemberLiveness
{
    /// <summary>How long a lookup is reused. Short: it only adds to how late a death is noticed.</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromMilliseconds(250);

    // More distinct pids than this means members come and go a lot; start over rather than grow.
    private const int CacheLimit = 256;

    private readonly TimeProvider _time;
    private readonly ProcessIdentity _self;
    private readonly Func<long, (ProcessState State, long Start)> _probe;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (ProcessState State, long Start, long At)> _cache = [];

    public MemberLiveness(TimeProvider time)
        : this(time, LocalProcess.Current, pid => (LocalProcess.Probe(pid, out var start), start))
    {
    }

    internal MemberLiveness(TimeProvider time, ProcessIdentity self, Func<long, (ProcessState State, long Start)> probe)
    {
        _time = time;
        _self = self;
        _probe = probe;
    }

    /// <summary>This process, as its member rows record it.</summary>
    public ProcessIdentity Self => _self;

    /// <summary>
    /// True only when the member's process is certainly gone: it is on this host (same machine, boot and PID namespace)
    /// and no process has its pid, or the process with its pid started at another time (the pid was reused). Members of
    /// other hosts, rows without a host (written before hosts were recorded) and failed lookups answer false.
    /// </summary>
    public bool HasExited(string host, long pid, long start)
    {
        if (_self.Host.Length == 0 || !string.Equals(host, _self.Host, StringComparison.Ordinal))
        {
            return false;
        }
        if (pid == _self.Pid)
        {
            // This process: every member it registered carries its start. Another start is an earlier process that had
            // the same pid.
            return start != _self.Start;
        }
        var (state, actualStart) = Lookup(pid);
        return state switch
        {
            ProcessState.Gone => true,
            ProcessState.Running => actualStart != start,
            _ => false,
        };
    }

    private (ProcessState State, long Start) Lookup(long pid)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_cache.TryGetValue(pid, out var cached) && _time.GetElapsedTime(cached.At, now) < CacheTime)
            {
                return (cached.State, cached.Start);
            }
        }
        // Outside the lock: a lookup reads /proc or asks the OS, and other consumers need not wait for it.
        var result = _probe(pid);
        lock (_lock)
        {
            if (_cache.Count >= CacheLimit)
            {
                _cache.Clear();
            }
            _cache[pid] = (result.State, result.Start, now);
        }
        return result;
    }
}
