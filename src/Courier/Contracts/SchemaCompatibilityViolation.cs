namespace Courier;

/// <summary>
/// One reason why a params schema version is not compatible with an earlier one under a mode.
/// <see cref="ToString"/> gives the line <c>courier schema check</c> prints:
/// <c>massMessage 1.0.0→2.0.0 FULL_TRANSITIVE: params.title: property-added-required: …</c>.
/// </summary>
/// <param name="JobType">The job type.</param>
/// <param name="OldVersion">The earlier version (for <c>version-modified</c> and <c>version-removed</c>, the version itself).</param>
/// <param name="NewVersion">The later version.</param>
/// <param name="Mode">The mode the type is checked under.</param>
/// <param name="Direction">The readers it breaks; null for rules that are not about one direction (an unsupported change, a modified or removed version).</param>
/// <param name="Path">The field, from <c>params</c>: <c>params.title</c>, <c>params.recipients[]</c> (array items), <c>params.*</c> (properties no one names).</param>
/// <param name="Rule">The rule id (<see cref="SchemaCompatibilityRules"/>).</param>
/// <param name="Message">What changed and which jobs and readers it breaks.</param>
public sealed record SchemaCompatibilityViolation(
    string JobType,
    ParamsSchemaVersion OldVersion,
    ParamsSchemaVersion NewVersion,
    CompatibilityMode Mode,
    CompatibilityDirection? Direction,
    string Path,
    string Rule,
    string Message)
{
    /// <summary><c>&lt;type&gt; &lt;old&gt;→&lt;new&gt; &lt;mode&gt;: &lt;path&gt;: &lt;rule&gt;: &lt;message&gt;</c>.</summary>
    public override string ToString() => $"{JobType} {OldVersion}→{NewVersion} {Mode.ToWireName()}: {Path}: {Rule}: {Message}";
}
