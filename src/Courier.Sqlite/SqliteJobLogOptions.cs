using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier;

/// <summary>Settings of the embedded SQLite job log.</summary>
public sealed class SqliteJobLogOptions
{
    /// <summary>Partitions of a topic that is created on first use (auto-created topics). Default 4.</summary>
    public int DefaultPartitions { get; set; } = 4;

    /// <summary>Whether producing to a topic that does not exist creates it with <see cref="DefaultPartitions"/>. Default true.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>
    /// How often a waiting consumer looks for records (and group changes) written by other processes. Writers in the
    /// same process wake consumers at once; this bounds the delay for writes from elsewhere. Default 20 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A group member whose last heartbeat (refreshed from <see cref="IJobLogConsumer.Consume"/>) is older than this is
    /// considered dead and its partitions go to the other members. Default 10 s.
    /// </summary>
    /// <remarks>
    /// The timeout is for members that are alive but stuck (a hung process, a handler that never returns to Consume).
    /// A member whose process has ended — a crash, kill -9 — is noticed sooner: each member records its host, process
    /// id and process start time, and the other members on the same machine remove it as soon as no process with that
    /// id runs any more, or the process with that id started at another time (the id was reused). They check whenever
    /// they sync and about twice a second between syncs, so a restarted process gets the partitions of the one it
    /// replaces at once instead of after this timeout. Members in the same process are never judged by their process,
    /// and members whose process cannot be looked at (another host on a shared file system, access denied) are judged
    /// by their heartbeat alone.
    /// </remarks>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an operation waits for another process's write transaction before failing. Default 10 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for record timestamps and group member liveness (heartbeats and their expiry).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Logger factory for group membership and rebalance logs.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    internal SqliteJobLogOptions Copy() => (SqliteJobLogOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultPartitions, 1, nameof(DefaultPartitions));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SessionTimeout, TimeSpan.Zero, nameof(SessionTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
    }
}
