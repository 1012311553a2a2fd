namespace Courier.Server.Contracts;

/// <summary>Whether one event still decodes with the current build, and if not, why.</summary>
/// <param name="JobType">The event's type, when it decoded far enough to have one.</param>
/// <param name="ParamsVersion">The event's <c>meta.params_version</c>, when it has one.</param>
/// <param name="Reason">Null when the event decodes; else the decode reason (<c>malformed</c>, <c>schema_mismatch</c>, <c>binding</c>…).</param>
/// <param name="Error">The message the dispatcher would dead-letter the job with.</param>
internal sealed record ContractVerdict(string? JobType, string? ParamsVersion, string? Reason, string? Error)
{
    /// <summary>True when the event decodes, passes its params contract and binds to its handler's params.</summary>
    public bool Success => Reason is null;
}
