using System.Text.Json;

namespace Courier.Testing.Alerting;

/// <summary>An alert as Prometheus holds it (<c>/api/v1/alerts</c>): its labels and <c>pending</c> or <c>firing</c>.</summary>
public sealed record PrometheusAlert(IReadOnlyDictionary<string, string> Labels, string State)
{
    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name) => Labels.GetValueOrDefault(name);

    public static PrometheusAlert Parse(JsonElement alert) =>
        new(AlertLabels.Parse(alert.GetProperty("labels")), alert.GetProperty("state").GetString()!);

    public override string ToString() => $"{State} {AlertLabels.Format(Labels)}";
}
