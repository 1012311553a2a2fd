using System.Text.Json;

namespace Courier.Testing.Alerting;

/// <summary>One alert of a webhook notification: <c>firing</c> or <c>resolved</c>, its labels and annotations.</summary>
public sealed record WebhookAlert(string Status, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt)
{
    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name) => Labels.GetValueOrDefault(name);

    public static WebhookAlert Parse(JsonElement alert) => new(
        alert.GetProperty("status").GetString()!,
        AlertLabels.Parse(alert.GetProperty("labels")),
        AlertLabels.Parse(alert.GetProperty("annotations")),
        alert.GetProperty("startsAt").GetDateTimeOffset());

    public override string ToString() => $"{Status} {AlertLabels.Format(Labels)}";
}
