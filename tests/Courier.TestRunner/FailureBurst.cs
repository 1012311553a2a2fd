namespace Courier.TestRunner;

/// <summary>The first <see cref="Count"/> handler calls of this process fail (<c>--fail-first N</c>): a burst of 5xx.</summary>
internal sealed class FailureBurst(int count)
{
    private int _calls;

    public int Count { get; } = count;

    /// <summary>Counts a call; returns its number when it is one of the failing ones, else null.</summary>
    public int? Enter()
    {
        var call = Interlocked.Increment(ref _calls);
        return call <= Count ? call : null;
    }
}
