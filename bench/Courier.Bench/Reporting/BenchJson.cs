using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Courier.Bench;

/// <summary>JSON of results: what a child hands its parent, and what <c>--json</c> prints.</summary>
internal static class BenchJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Latency of a job that never started can be unbounded; infinities must not break the output.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static bool TryDeserialize(string json, [NotNullWhen(true)] out SystemResult? result)
    {
        try
        {
            result = JsonSerializer.Deserialize<SystemResult>(json, Options);
        }
        catch (JsonException e)
        {
            Console.Error.WriteLine($"unreadable child result: {e.Message}");
            result = null;
        }
        return result is not null;
    }
}
