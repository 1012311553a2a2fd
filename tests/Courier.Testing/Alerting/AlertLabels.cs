using System.Text.Json;

namespace Courier.Testing.Alerting;

/// <summary>Label sets as Prometheus and Alertmanager write them in JSON, read and shown the same way.</summary>
public static class AlertLabels
{
    /// <summary>A JSON object of label names to string values.</summary>
    public static Dictionary<string, string> Parse(JsonElement labels) =>
        labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");

    /// <summary><c>{a=x, b=y}</c>, sorted by name, for failure messages.</summary>
    public static string Format(IReadOnlyDictionary<string, string> labels) =>
        "{" + string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
}
