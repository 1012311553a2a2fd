namespace Courier;

/// <summary>
/// A job breaks its params contract: its params do not match the schema of its version, it names a version the
/// registry does not have, or it has no schema or version where they are required. The message names the request,
/// the job type, the version and each field and rule, e.g.
/// <c>request.params: massMessage params do not match params schema 2.0.0: params.title.namespace: required: missing</c>.
/// </summary>
public sealed class JobContractException : JobEncodingException
{
    /// <summary>Creates the exception.</summary>
    public JobContractException() : this("the job breaks its params contract") { }

    /// <summary>Creates the exception with a message.</summary>
    public JobContractException(string message) : base(message)
    {
        JobType = "";
        Violations = [];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public JobContractException(string message, Exception innerException) : base(message, innerException)
    {
        JobType = "";
        Violations = [];
    }

    /// <summary>Creates the exception from a failed check.</summary>
    public JobContractException(string message, string jobType, string? paramsVersion, ParamsCheckResult check) : base(message)
    {
        JobType = jobType;
        ParamsVersion = paramsVersion;
        Outcome = check.Outcome;
        Violations = check.Violations;
    }

    /// <summary>The job type.</summary>
    public string JobType { get; }

    /// <summary>The params version the job named (or was given), if any.</summary>
    public string? ParamsVersion { get; }

    /// <summary>What the check found.</summary>
    public ParamsCheckOutcome Outcome { get; }

    /// <summary>For a mismatch: each field and the rule it breaks.</summary>
    public IReadOnlyList<ParamsViolation> Violations { get; }
}
