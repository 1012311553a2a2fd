namespace Courier.Sqlite.State;

/// <summary>Settings of the embedded state store (<see cref="SqliteJobStateStore"/>).</summary>
public sealed class SqliteJobStateStoreOptions
{
    /// <summary>
    /// Most keys kept; past it those nearest their expiry are dropped first, among keys that live more than an hour
    /// longer (claims, rate windows and recurring ticks are never dropped, only swept once expired). Default 1,000,000.
    /// </summary>
    public long MaxEntries { get; set; } = 1_000_000;

    /// <summary>How long an operation waits for another process's write lock on the file. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock keys expire by.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (MaxEntries < 1)
        {
            throw new ArgumentException($"max entries must be at least 1, got {MaxEntries}", nameof(MaxEntries));
        }
        if (BusyTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"busy timeout must be positive, got {BusyTimeout}", nameof(BusyTimeout));
        }
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
