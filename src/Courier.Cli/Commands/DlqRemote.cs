using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Settings;
using Courier.Server.Admin;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier dlq … --server URL</c>: the dead letters of a running dispatcher through its admin API
/// (<see cref="DeadLetterEndpoints"/>), answered in the JSON shapes the local commands build (<see cref="DeadLetterJson"/>).
/// </summary>
internal sealed class DlqRemote(HttpClient http, CancellationToken cancellationToken)
{
    /// <summary>
    /// The <paramref name="limit"/> newest matching dead letters (0: all, page after page), newest first, and how many
    /// match in all.
    /// </summary>
    public async Task<(long Matching, List<JsonObject> Items)> ListAsync(string? type, string? failureClass, string? jobId, int limit)
    {
        var items = new List<JsonObject>();
        long matching = 0;
        string? cursor = null;
        do
        {
            var pageSize = limit == 0 ? DeadLetterQuery.MaxLimit : Math.Min(DeadLetterQuery.MaxLimit, limit - items.Count);
            var query = new List<string> { "limit=" + pageSize.ToString(CultureInfo.InvariantCulture) };
            void Add(string name, string? value)
            {
                if (value is not null)
                {
                    query.Add(name + "=" + Uri.EscapeDataString(value));
                }
            }
            Add("type", type);
            Add("class", failureClass);
            Add("job_id", jobId);
            Add("cursor", cursor);
            var page = await GetObjectAsync(DeadLetterEndpoints.Route.TrimStart('/') + "?" + string.Join('&', query));
            matching = Rendering.JsonOutput.Long(page["matching"]);
            items.AddRange((page["dead_letters"] as JsonArray ?? []).OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null && (limit == 0 || items.Count < limit));
        return (matching, items);
    }

    /// <summary>One dead letter with headers and event (<see cref="DeadLetterJson.Full"/> and its replay).</summary>
    public Task<JsonObject> GetAsync(string position) =>
        GetObjectAsync(DeadLetterEndpoints.Route.TrimStart('/') + "/" + Uri.EscapeDataString(position));

    /// <summary>A replay (<see cref="DeadLetterJson.Replay"/>): a dry run unless <paramref name="dryRun"/> is false.</summary>
    public async Task<JsonObject> ReplayAsync(string? type, string? failureClass, bool dryRun)
    {
        var body = await DispatcherEndpoint.PostJsonAsync(http, DeadLetterEndpoints.Route.TrimStart('/') + "/replay",
            new Dictionary<string, object?> { ["type"] = type, ["class"] = failureClass, ["dry_run"] = dryRun }, cancellationToken);
        return Parse(DeadLetterEndpoints.Route + "/replay", body);
    }

    private async Task<JsonObject> GetObjectAsync(string route) =>
        Parse(route, await DispatcherEndpoint.GetStringAsync(http, route, cancellationToken));

    private JsonObject Parse(string route, string body) =>
        DispatcherEndpoint.ReadJson<JsonObject>(http, route, body, null);
}
