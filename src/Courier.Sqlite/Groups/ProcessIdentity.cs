namespace Courier.Sqlite.Groups;

/// <summary>
/// A process as group member rows record it, so that another process on the same machine can tell whether it still runs.
/// </summary>
/// <param name="Host">
/// The machine the process runs on, and on Linux also its boot and PID namespace: a pid only means the same process to
/// another process with the same host value. Empty when unknown, which turns process checks off for the row.
/// </param>
/// <param name="Pid">The operating system's process id.</param>
/// <param name="Start">
/// When the process started, in a unit of the operating system's own (clock ticks since boot on Linux, UTC ticks
/// elsewhere); only ever compared for equality, to tell a reused pid from the process that wrote the row.
/// </param>
internal readonly record struct ProcessIdentity(string Host, long Pid, long Start);
