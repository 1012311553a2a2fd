using System.Text.Json;
using Courier.Jobs.Codec;

namespace Courier;

/// <summary>
/// A synthetic probe of one job type: every <see cref="Every"/> the dispatcher writes a real job of the type, marked
/// with the <c>courier.probe</c> header, to the type's job topic, so a type with no traffic is still judged within
/// an interval of a deploy. A probe is never retried, held or dead-lettered (docs/operations.md, "Probes").
/// </summary>
public sealed class ProbeSpec
{
    /// <summary>How often a probe job is written (default 20 s).</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The probe job's params: a JSON object that must pass the type's params schema when it has one.</summary>
    public JsonElement Params { get; set; } = JobEventReader.EmptyObject;

    /// <summary>The probe job's <c>database</c> (its key, so its partition); default <c>courier-probe</c>.</summary>
    public string Database { get; set; } = "courier-probe";

    /// <summary>What is wrong with the values, each naming the rule and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (Every <= TimeSpan.Zero)
        {
            yield return $"rule '{ruleName}': probe.every must be positive, got {Every}";
        }
        if (Params.ValueKind != JsonValueKind.Object)
        {
            yield return $"rule '{ruleName}': probe.params must be a JSON object, got {JsonPaths.Kind(Params.ValueKind)}";
        }
        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return $"rule '{ruleName}': probe.database must name a database, got '{Database}'";
        }
    }
}
