using System.Globalization;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// The last run of a <c>sha1</c>, as stored under <see cref="DedupKeys.Sha1"/>: <c>running|&lt;startMs&gt;|&lt;meta.id&gt;</c>
/// while it runs (or waits for a retry), <c>done|&lt;startMs&gt;|&lt;meta.id&gt;</c> once it succeeded or was ignored.
/// </summary>
/// <param name="Done">True once the run ended for good.</param>
/// <param name="Start">When the run started (the dispatcher's clock), to the millisecond.</param>
/// <param name="JobId">The <c>meta.id</c> of the job that runs or ran.</param>
internal readonly record struct DedupClaim(bool Done, DateTimeOffset Start, string JobId)
{
    private const string RunningState = "running";
    private const string DoneState = "done";

    /// <summary>A claim of a run starting now.</summary>
    public static DedupClaim Running(DateTimeOffset start, string jobId) =>
        new(false, DateTimeOffset.FromUnixTimeMilliseconds(start.ToUnixTimeMilliseconds()), jobId);

    /// <summary>The same run, ended for good.</summary>
    public DedupClaim Finished() => this with { Done = true };

    /// <summary>True when a job created at <paramref name="created"/> (or whose root job was) was created before this run started.</summary>
    /// <remarks>The original's one-second slack for clocks that disagree a little between producers and dispatchers.</remarks>
    public bool Covers(DateTimeOffset created) => created < Start - TimeSpan.FromSeconds(1);

    /// <summary>The stored form.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Done ? DoneState : RunningState)}|{Start.ToUnixTimeMilliseconds()}|{JobId}");

    /// <summary>Reads a stored claim; null when <paramref name="value"/> is absent or not a claim (then it is taken over).</summary>
    public static DedupClaim? Parse(string? value)
    {
        var parts = value?.Split('|', 3);
        if (parts is not { Length: 3 } || parts[0] is not (RunningState or DoneState)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var startMs))
        {
            return null;
        }
        return new DedupClaim(parts[0] == DoneState, DateTimeOffset.FromUnixTimeMilliseconds(startMs), parts[2]);
    }
}
