namespace Courier.Canaries;

/// <summary>Attempts and failures of one side of a canary in the judged window.</summary>
/// <param name="Attempts">Attempts that ran (backpressure excluded).</param>
/// <param name="Failures">Of those, the ones that failed.</param>
public readonly record struct CanarySide(long Attempts, long Failures)
{
    /// <summary>Failures per attempt; 0 without attempts.</summary>
    public double FailureRate => Attempts == 0 ? 0 : (double)Failures / Attempts;
}
