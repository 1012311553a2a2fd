using System.Text.Json;

namespace Courier.Server.Admin;

/// <summary>Reads a job event's id (<c>meta.id</c>) from its raw bytes, for records whose headers do not carry it.</summary>
internal static class JobEventId
{
    /// <summary>The event's <c>meta.id</c>, or null when the bytes are not a job event with a string id.</summary>
    public static string? Read(ReadOnlyMemory<byte> value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
