using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Courier.Cli.Rendering;

/// <summary>Writes one JSON document (snake_case names, indented) to a stream.</summary>
internal static class JsonOutput
{
    // Relaxed escaping: this is terminal and pipe output, not HTML, so '+' in a timestamp stays '+'.
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter writer, JsonNode node)
    {
        writer.WriteLine(node.ToJsonString(Indented));
        writer.Flush();
    }

    /// <summary>Counts by key as a JSON object, keys sorted.</summary>
    public static JsonObject Counts<TKey>(IEnumerable<KeyValuePair<TKey, long>> counts, Func<TKey, string> name)
    {
        var o = new JsonObject();
        foreach (var (key, value) in counts.OrderBy(kv => name(kv.Key), StringComparer.Ordinal))
        {
            o[name(key)] = value;
        }
        return o;
    }

    /// <summary>A whole number of a JSON object built here (int or long) or parsed from an answer; 0 when absent.</summary>
    public static long Long(JsonNode? node) =>
        node is JsonValue v ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : 0 : 0;

    /// <summary>A string property of a JSON object, or null when absent or not a string.</summary>
    public static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Time(DateTimeOffset? time) => Courier.Server.Admin.DeadLetterJson.Time(time);
}
