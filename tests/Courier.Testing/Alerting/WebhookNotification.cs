using System.Text.Json;

namespace Courier.Testing.Alerting;

/// <summary>One Alertmanager webhook notification (payload version 4): the group's status and its alerts.</summary>
public sealed record WebhookNotification(string Version, string Status, IReadOnlyDictionary<string, string> GroupLabels, IReadOnlyList<WebhookAlert> Alerts)
{
    public static WebhookNotification Parse(JsonElement payload) => new(
        payload.GetProperty("version").GetString()!,
        payload.GetProperty("status").GetString()!,
        AlertLabels.Parse(payload.GetProperty("groupLabels")),
        [.. payload.GetProperty("alerts").EnumerateArray().Select(WebhookAlert.Parse)]);
}
