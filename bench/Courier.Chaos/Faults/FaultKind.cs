namespace Courier.Chaos.Faults;

/// <summary>The kinds of fault a schedule holds.</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL of a <c>courier serve</c> process, restarted after a short pause.</summary>
    KillDispatcher,

    /// <summary>SIGKILL of a <c>courier runner</c> process, restarted after a short pause.</summary>
    KillRunner,

    /// <summary>A runner's fault proxy answers every request 503 for a while.</summary>
    RunnerStorm,

    /// <summary>A runner's fault proxy holds every request longer than the rule's timeout for a while.</summary>
    RunnerSlow,

    /// <summary>A competing writer holds <c>BEGIN EXCLUSIVE</c> on a SQLite file of the data directory for a while.</summary>
    SqliteBusy,

    /// <summary>The data directory's tmpfs is filled with a ballast file for a while.</summary>
    DiskFull,

    /// <summary>Kafka only: a mock broker down, then up again.</summary>
    BrokerDown,

    /// <summary>Kafka only: Produce, Fetch or OffsetCommit requests fail for a while.</summary>
    RequestErrors,
}
