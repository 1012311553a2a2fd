using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// The stderr of a command run with <c>--log-format json</c>, parsed: every line must be one JSON object with the JSON
/// console formatter's fields (a UTC timestamp, event id, level, category, message), or the test fails naming the line.
/// </summary>
internal static class JsonLogLines
{
    public static IReadOnlyList<JsonElement> Parse(string stderr)
    {
        var events = new List<JsonElement>();
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')))
        {
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                Assert.Fail($"stderr line is not JSON ({e.Message}): {line}");
                throw;
            }
            Assert.True(root.ValueKind == JsonValueKind.Object, "not an object: " + line);
            var timestamp = root.GetProperty("Timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.Zero, DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture).Offset);
            Assert.Equal(JsonValueKind.Number, root.GetProperty("EventId").ValueKind);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("LogLevel").GetString()), line);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Category").GetString()), line);
            Assert.Equal(JsonValueKind.String, root.GetProperty("Message").ValueKind);
            events.Add(root);
        }
        return events;
    }

    /// <summary>The events of <paramref name="category"/> with <paramref name="eventId"/>.</summary>
    public static IEnumerable<JsonElement> Where(this IReadOnlyList<JsonElement> events, string category, int eventId) =>
        events.Where(e => e.GetProperty("Category").GetString() == category && e.GetProperty("EventId").GetInt32() == eventId);

    /// <summary>The messages of the command's status events (<c>Courier.Cli.Status</c>, 3200).</summary>
    public static IEnumerable<string> StatusMessages(this IReadOnlyList<JsonElement> events) =>
        events.Where("Courier.Cli.Status", 3200).Select(e => e.GetProperty("Message").GetString()!);
}
