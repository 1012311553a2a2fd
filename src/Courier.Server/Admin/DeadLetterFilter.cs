namespace Courier.Server.Admin;

/// <summary>Selects dead letters by job type and failure class; null matches anything.</summary>
/// <param name="JobType">Only this job type.</param>
/// <param name="Class">Only this failure class.</param>
internal sealed record DeadLetterFilter(string? JobType = null, FailureClass? Class = null)
{
    /// <summary>Matches every dead letter.</summary>
    public static DeadLetterFilter All { get; } = new();

    /// <summary>True when the dead letter is selected.</summary>
    public bool Matches(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return (JobType is null || string.Equals(deadLetter.JobType, JobType, StringComparison.Ordinal))
            && (Class is null || deadLetter.Class == Class);
    }
}
