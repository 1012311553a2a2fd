using System.Text.Json;

namespace Courier.Runner.Tests.Support;

/// <summary>Job events for the runner tests, encoded with the codec the dispatcher uses.</summary>
public static class TestJobs
{
    public const string Type = "testJob";

    private static readonly JobEventCodec Codec = new(new CourierOptions());

    public static byte[] Event(string mode, string? id = null, string type = Type, string? message = null) =>
        EventWithParams(message is null ? $$"""{"mode":"{{mode}}"}""" : $$"""{"mode":"{{mode}}","message":{{JsonSerializer.Serialize(message)}}}""", id, type);

    public static byte[] EventWithParams(string paramsJson, string? id = null, string type = Type, string? paramsVersion = null)
    {
        using var document = JsonDocument.Parse(paramsJson);
        return Codec.Encode(new JobEvent
        {
            Meta = new JobMeta { Id = id ?? Guid.NewGuid().ToString(), Dt = DateTimeOffset.UtcNow, Stream = "mediawiki.job." + type, ParamsVersion = paramsVersion },
            Database = "testwiki",
            Type = type,
            Params = document.RootElement.Clone(),
        });
    }
}
