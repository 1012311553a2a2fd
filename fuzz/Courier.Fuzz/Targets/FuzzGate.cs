using Courier.Jobs;
using System.Text.Json;

namespace Courier.Fuzz.Targets;

/// <summary>
/// The gate the event targets share: a small event limit (so oversize inputs are reachable within AFL's input sizes)
/// and one closed params schema (type <c>fuzzJob</c>, versions 1.0.0), so inputs can reach the contract check.
/// </summary>
internal static class FuzzGate
{
    /// <summary>The job type that has a params schema.</summary>
    public const string SchemaType = "fuzzJob";

    /// <summary>The event limit of the fuzzed edges, in bytes.</summary>
    public const int MaxEventBytes = 16 * 1024;

    private const string Schema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["title"],
          "properties": {
            "title": { "type": "object", "additionalProperties": false, "required": ["namespace", "dbkey"],
                       "properties": { "namespace": { "type": "integer" }, "dbkey": { "type": "string", "maxLength": 255 } } },
            "tags": { "type": "array", "items": { "type": "string" } },
            "mode": { "enum": ["fast", "slow"] }
          }
        }
        """;

    /// <summary>The clock of the fuzzed edges: fixed, so every input always meets the same checks.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Options with the fuzz limit and schema.</summary>
    public static CourierOptions Options { get; } = new()
    {
        MaxEventBytes = MaxEventBytes,
        ParamsSchemas = ParamsSchemaRegistry.Create([ParamsSchema.Parse(SchemaType, ParamsSchemaVersion.Parse("1.0.0"), Schema, "fuzz schema")]),
    };

    /// <summary>The gate over <see cref="Options"/>.</summary>
    public static JobGate Gate { get; } = new(Options);

    /// <summary>
    /// Checks the gate's promise for one input: a refusal has a reason and an error; an event that passed encodes back
    /// to bytes that pass again with the same id, type and params.
    /// </summary>
    public static JobGateResult InspectChecked(ReadOnlySpan<byte> input)
    {
        var result = Gate.Inspect(input);
        if (!result.Passed)
        {
            FuzzInvariantException.Require(!string.IsNullOrEmpty(result.Reason) && !string.IsNullOrEmpty(result.Error),
                "a refused event has no reason or no error");
            return result;
        }
        var jobEvent = result.Event!;
        byte[] encoded;
        try
        {
            encoded = new JobEventCodec(Options).Encode(jobEvent);
        }
        catch (JobEncodingException e) when (e.Message.Contains("the limit is", StringComparison.Ordinal))
        {
            // Re-encoding may escape differently than the producer did, and so grow past the limit: not a bug.
            return result;
        }
        var again = Gate.Inspect(encoded);
        FuzzInvariantException.Require(again.Passed, $"an accepted event, encoded again, is refused: {again.Error}");
        FuzzInvariantException.Require(again.Event!.Meta.Id == jobEvent.Meta.Id && again.Event.Type == jobEvent.Type,
            "an accepted event, encoded again, changed its id or type");
        FuzzInvariantException.Require(JsonElement.DeepEquals(again.Event.Params, jobEvent.Params),
            "an accepted event, encoded again, changed its params");
        return result;
    }
}
