namespace Courier.Server.Admin;

/// <summary>A dead letter with the record facts the admin commands show.</summary>
internal sealed class DeadLetterEntry
{
    /// <summary>The dead letter.</summary>
    public required DeadLetter DeadLetter { get; init; }

    /// <summary>The release that ran the last attempt (see <see cref="Courier.DeadLetter.Release"/>).</summary>
    public string? Release => DeadLetter.Release;

    /// <summary>Every header of the error-topic record, in order.</summary>
    public required IReadOnlyList<LogHeader> Headers { get; init; }

    /// <summary>When the error topic accepted the record.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Where it was replayed to, if it was (per the replay ledger).</summary>
    public string? ReplayedTo { get; init; }

    /// <summary>Reads an entry from an error-topic record.</summary>
    public static DeadLetterEntry FromRecord(LogRecord record, string? replayedTo = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new DeadLetterEntry
        {
            DeadLetter = DeadLetter.FromRecord(record),
            Headers = record.Headers,
            Timestamp = record.Timestamp,
            ReplayedTo = replayedTo,
        };
    }
}
