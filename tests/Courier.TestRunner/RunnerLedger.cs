using Courier.TestPrograms;

namespace Courier.TestRunner;

/// <summary>
/// A SQLite file with one row per thing a runner process did with a job (started, succeeded, failed, …), written by
/// that process alone, group-committed (see <see cref="RowFile{T}"/>) and read by the test from outside.
/// </summary>
/// <remarks>
/// A committed row survives the process being killed (SIGKILL), which is what the tests do. A handler awaits its
/// "started" row before working and its "succeeded" row before answering, so the ledger is the ground truth of what
/// ran where, even across kill -9.
/// </remarks>
public sealed class RunnerLedger : IAsyncDisposable
{
    /// <summary>The handler was entered.</summary>
    public const string Started = "started";

    /// <summary>The handler is about to answer success (the row is written first).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The handler failed (thrown or returned a failure).</summary>
    public const string Failed = "failed";

    /// <summary>The handler's token was cancelled (execution limit, or the dispatcher hung up).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The request was held back before the endpoint (<see cref="RunnerJobParams.StallMilliseconds"/>).</summary>
    public const string Stalled = "stalled";

    private static readonly RowTable<LedgerEntry> Table = new("ledger",
        ["job_id TEXT NOT NULL", "runner TEXT NOT NULL", "attempt INTEGER NOT NULL", "event TEXT NOT NULL", "detail TEXT NULL"],
        e => [e.JobId, e.Runner, e.Attempt, e.Event, e.Detail],
        r => new LedgerEntry(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));

    private readonly RowFile<LedgerEntry> _file;
    private readonly string _runner;

    private RunnerLedger(RowFile<LedgerEntry> file, string runner)
    {
        _file = file;
        _runner = runner;
    }

    /// <summary>Opens (creating if needed) the ledger at <paramref name="path"/> for the runner named <paramref name="runner"/>.</summary>
    public static RunnerLedger Open(string path, string runner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runner);
        return new RunnerLedger(Table.Open(path), runner);
    }

    /// <summary>Records one row; completes when it is committed.</summary>
    /// <remarks>Never cancelled: a row that was asked for is written, or the process dies first.</remarks>
    public async ValueTask RecordAsync(string jobId, int attempt, string what, string? detail = null) =>
        await _file.AddAsync(new LedgerEntry(jobId, _runner, attempt, what, detail));

    /// <summary>Every row of the ledger at <paramref name="path"/> in the order written; none while it does not exist yet.</summary>
    public static Task<IReadOnlyList<LedgerEntry>> ReadAllAsync(string path, CancellationToken cancellationToken) =>
        Table.ReadAllAsync(path, cancellationToken);

    /// <summary>Writes what is queued, then closes the file.</summary>
    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
