namespace Courier;

/// <summary>The result of <see cref="ParamsSchemaRegistry.Check"/>: accepted or not, and exactly why not.</summary>
public readonly record struct ParamsCheckResult
{
    internal ParamsCheckResult(ParamsCheckOutcome outcome, ParamsSchema? schema, string? error, IReadOnlyList<ParamsViolation>? violations)
    {
        Outcome = outcome;
        Schema = schema;
        Error = error;
        Violations = violations ?? [];
    }

    /// <summary>What the check found.</summary>
    public ParamsCheckOutcome Outcome { get; }

    /// <summary>The schema the params were checked against, when there was one.</summary>
    public ParamsSchema? Schema { get; }

    /// <summary>
    /// Why the params were refused, naming the job type, the version and (for a mismatch) each field and rule, e.g.
    /// <c>massMessage params do not match params schema 1.0.0: params.title: required: missing</c>. Null when accepted.
    /// </summary>
    public string? Error { get; }

    /// <summary>For <see cref="ParamsCheckOutcome.Mismatch"/>: each field that breaks the schema, and the rule.</summary>
    public IReadOnlyList<ParamsViolation> Violations { get; }

    /// <summary>True for <see cref="ParamsCheckOutcome.Valid"/> and <see cref="ParamsCheckOutcome.Unchecked"/>.</summary>
    public bool IsAccepted => Outcome is ParamsCheckOutcome.Valid or ParamsCheckOutcome.Unchecked;

    /// <summary>
    /// The outcome as a metric and wire value: <c>valid</c>, <c>unchecked</c>, <c>unknown_version</c>,
    /// <c>missing_version</c>, <c>no_schema</c>, <c>schema_mismatch</c>.
    /// </summary>
    public string Reason => Outcome switch
    {
        ParamsCheckOutcome.Valid => "valid",
        ParamsCheckOutcome.Unchecked => "unchecked",
        ParamsCheckOutcome.UnknownVersion => "unknown_version",
        ParamsCheckOutcome.MissingVersion => "missing_version",
        ParamsCheckOutcome.NoSchema => "no_schema",
        _ => "schema_mismatch",
    };
}
