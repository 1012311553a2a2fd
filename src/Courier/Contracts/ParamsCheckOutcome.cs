namespace Courier;

/// <summary>What checking a job's params against the params schema registry found.</summary>
public enum ParamsCheckOutcome
{
    /// <summary>The params match the schema of the version the job names.</summary>
    Valid,

    /// <summary>
    /// Not checked, and accepted: the registry has no schema for the job type and schemas are not required
    /// (<see cref="CourierOptions.RequireParamsSchemas"/>), or the job names no version and versions are not required
    /// (<see cref="CourierOptions.RequireParamsVersion"/>).
    /// </summary>
    Unchecked,

    /// <summary>The job names a params version the registry does not have (or one that is not <c>major.minor.patch</c>).</summary>
    UnknownVersion,

    /// <summary>The job names no params version, its type has schemas, and versions are required.</summary>
    MissingVersion,

    /// <summary>The registry has no schema for the job type, and schemas are required.</summary>
    NoSchema,

    /// <summary>The params break the schema of the version the job names.</summary>
    Mismatch,
}
