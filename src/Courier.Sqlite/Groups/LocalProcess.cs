using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Courier.Sqlite.Groups;

/// <summary>
/// This process's <see cref="ProcessIdentity"/>, and lookups of other processes of this machine by id. Every member of
/// the embedded log runs on one machine, so a member whose process is gone can be recognised at once instead of after
/// the session timeout. Nothing here throws: a lookup that fails for any reason other than "no such process" answers
/// <see cref="ProcessState.Unknown"/>, and callers treat that as alive (the heartbeat rule still applies).
/// </summary>
internal static class LocalProcess
{
    private static readonly Lazy<ProcessIdentity> CurrentIdentity = new(ReadCurrent);

    /// <summary>This process, read once. Its host is empty when it could not be determined.</summary>
    public static ProcessIdentity Current => CurrentIdentity.Value;

    /// <summary>Looks up the process with id <paramref name="pid"/>; <paramref name="start"/> is set when it runs.</summary>
    public static ProcessState Probe(long pid, out long start)
    {
        start = 0;
        if (pid <= 0 || pid > int.MaxValue)
        {
            return ProcessState.Unknown;
        }
        try
        {
            return OperatingSystem.IsLinux() ? ProbeLinux((int)pid, out start) : ProbeOther((int)pid, out start);
        }
#pragma warning disable CA1031 // a liveness probe must never fail the consumer; an unexpected error means "don't know"
        catch (Exception)
#pragma warning restore CA1031
        {
            start = 0;
            return ProcessState.Unknown;
        }
    }

    private static ProcessIdentity ReadCurrent()
    {
        var pid = Environment.ProcessId;
        try
        {
            var host = OperatingSystem.IsLinux() ? LinuxHost() : Environment.MachineName;
            if (host is not null && Probe(pid, out var start) == ProcessState.Running)
            {
                return new ProcessIdentity(host, pid, start);
            }
        }
#pragma warning disable CA1031 // without an identity the member is judged by its heartbeat alone, as before
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return new ProcessIdentity(string.Empty, pid, 0);
    }

    /// <summary>
    /// The machine name alone is not enough on Linux: containers sharing a data directory may have the same host name
    /// but separate PID namespaces (pid 7 there is not pid 7 here), and after a reboot pids and boot-relative start
    /// times start over. Both ids are required; without them process checks stay off.
    /// </summary>
    private static string? LinuxHost()
    {
        var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
        if (bootId.Length == 0 || string.IsNullOrEmpty(pidNamespace))
        {
            return null;
        }
        return $"{Environment.MachineName} (boot {bootId}, {pidNamespace})";
    }

    /// <summary>
    /// Reads /proc/[pid]/stat directly rather than <see cref="Process.StartTime"/>: the latter adds the boot time that
    /// /proc/stat reports, which moves with clock steps, so two readings of one process could disagree. The raw start
    /// (clock ticks since boot) never changes for the life of the process.
    /// </summary>
    private static ProcessState ProbeLinux(int pid, out long start)
    {
        start = 0;
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return ProcessState.Gone;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Hidden by the /proc mount options, or exiting while we read: the next check decides.
            return ProcessState.Unknown;
        }
        // The command name (field 2) is in parentheses and may itself contain spaces and ')': fields after the last ')'
        // start with field 3, the state; field 22 is the start time.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return ProcessState.Unknown;
        }
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20)
        {
            return ProcessState.Unknown;
        }
        if (fields[0] is "Z" or "X" or "x")
        {
            // Killed but not yet reaped by its parent: it runs no code and will never heartbeat again.
            return ProcessState.Gone;
        }
        if (!long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            start = 0;
            return ProcessState.Unknown;
        }
        return ProcessState.Running;
    }

    /// <summary>Windows and macOS keep a process's start as an absolute time fixed at creation.</summary>
    private static ProcessState ProbeOther(int pid, out long start)
    {
        start = 0;
        try
        {
            using var process = Process.GetProcessById(pid);
            start = process.StartTime.ToUniversalTime().Ticks;
            return ProcessState.Running;
        }
        catch (ArgumentException)
        {
            // GetProcessById: no process with that id.
            return ProcessState.Gone;
        }
        catch (InvalidOperationException)
        {
            // The process exited between the lookup and reading its start time.
            return ProcessState.Gone;
        }
        catch (Exception ex) when (ex is Win32Exception or NotSupportedException or UnauthorizedAccessException)
        {
            // Another user's or an elevated process: it exists, but we may not look at it.
            return ProcessState.Unknown;
        }
    }
}
