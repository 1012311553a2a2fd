namespace Courier.Sqlite.Groups;

/// <summary>What a look at a process id found.</summary>
internal enum ProcessState
{
    /// <summary>The lookup was not possible (access denied, an unexpected error); callers treat the process as alive.</summary>
    Unknown,

    /// <summary>A process with that id runs; its start time was read.</summary>
    Running,

    /// <summary>No process with that id exists (or only its zombie, which runs no code).</summary>
    Gone,
}
