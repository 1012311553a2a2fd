namespace Courier.Cli.Contracts;

/// <summary>What <c>courier schema check</c> found for one job type.</summary>
internal sealed record SchemaTypeResult(
    string Type,
    CompatibilityMode Mode,
    IReadOnlyList<ParamsSchemaVersion> Versions,
    IReadOnlyList<ParamsSchemaVersion>? Deployed,
    IReadOnlyList<SchemaCompatibilityViolation> Violations);
