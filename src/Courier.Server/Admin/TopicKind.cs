namespace Courier.Server.Admin;

/// <summary>What a topic holds, by its name.</summary>
internal enum TopicKind
{
    /// <summary>Something else.</summary>
    Other,

    /// <summary>A job topic (<c>mediawiki.job.&lt;type&gt;</c>).</summary>
    Job,

    /// <summary>A retry tier of a job topic.</summary>
    Retry,

    /// <summary>The error topic (dead letters).</summary>
    Error,

    /// <summary>The dead-letter replay ledger.</summary>
    ReplayLedger,

    /// <summary>The partitioned copy of a job topic (<c>courier.partitioned.&lt;job topic&gt;</c>) a partitioned rule runs from.</summary>
    Partitioned,
}
