namespace Courier.Jobs;

/// <summary>
/// The <c>reason</c> tag of <c>courier.jobs.decode_failures</c>: what kind of decode failure a job had. Low
/// cardinality by construction; the exact reason is in the dead letter's message and the error log line.
/// </summary>
internal static class DecodeReasons
{
    /// <summary>The record is not a job event (not JSON, a field missing or of the wrong kind), or is on the wrong topic.</summary>
    public const string Malformed = "malformed";

    /// <summary>No handler is registered for the job type.</summary>
    public const string UnknownType = "unknown_type";

    /// <summary>The job names a params version the registry does not have.</summary>
    public const string UnknownVersion = "unknown_version";

    /// <summary>The job names no params version where one is required.</summary>
    public const string MissingVersion = "missing_version";

    /// <summary>The job type has no params schema where one is required.</summary>
    public const string NoSchema = "no_schema";

    /// <summary>The params break the schema of their version.</summary>
    public const string SchemaMismatch = "schema_mismatch";

    /// <summary>The job's <c>delay_until</c> is further ahead than <see cref="JobDelayLimit.Max"/>.</summary>
    public const string DelayTooFar = JobDelayLimit.Reason;

    /// <summary>A params converter failed, or what it produced does not match its target schema.</summary>
    public const string Converter = "converter";

    /// <summary>The params do not bind to the handler's params type.</summary>
    public const string Binding = "binding";

    /// <summary>A handler or a runner reported the decode failure.</summary>
    public const string Executor = "executor";
}
