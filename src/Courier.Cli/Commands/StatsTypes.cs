using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Recurring;
using Courier.Server.Types;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier stats --server URL</c>: the running dispatcher's view instead of the log's — its types
/// (<c>GET /v1/types</c>: state, counts, rate, lag, oldest pending) and its recurring jobs.
/// </summary>
internal static class StatsTypes
{
    public static async Task<int> RunAsync(ParseResult parseResult, CliContext context, Option<string?> server, Option<string?> token,
        bool json)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, server, token);
        var types = await DispatcherEndpoint.GetJsonAsync<TypeList>(http, TypeEndpoints.Route, null, context.Shutdown);
        var (recurring, note) = await StatsRecurring.ReadAsync(parseResult, context, server, token, settings);
        if (json)
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["server"] = http.BaseAddress!.AbsoluteUri,
                ["types"] = JsonSerializer.SerializeToNode(types.Types),
                ["recurring"] = JsonSerializer.SerializeToNode(recurring, RecurringList.Json),
                ["recurring_note"] = note,
            });
            return ExitCodes.Ok;
        }
        Print(types.Types, http.BaseAddress!, context.Console);
        StatsRecurring.Print(recurring, note, context.Console);
        return ExitCodes.Ok;
    }

    private static void Print(IReadOnlyList<TypeView> types, Uri server, CliConsole console)
    {
        console.Out.WriteLine($"Dispatcher {server} — {types.Count} job type{(types.Count == 1 ? "" : "s")}, counts since it started");
        var rows = types.Select(t => (IReadOnlyList<string>)
        [
            t.Type, t.State, N(t.Counts.Started), N(t.Counts.Succeeded), N(t.Counts.DeadLettered), N(t.Counts.Pending), N(t.Counts.InFlight),
            N(t.Lag), t.RatePerSecond.ToString("0.##", CultureInfo.InvariantCulture),
            t.SuccessRatio is { } ratio ? ratio.ToString("0.0%", CultureInfo.InvariantCulture) : "-",
            t.OldestPendingSeconds is { } age ? $"{age:0}s" : "-",
        ]).ToList();
        TableOutput.Write(console, null,
            ["type", "state", "started", "succeeded", "dead-lettered", "pending", "in flight", "lag", "rate/s", "success 5m", "oldest pending"], rows);
        foreach (var paused in types.Where(t => t.PausedReason is not null))
        {
            console.Out.WriteLine($"{paused.Type} is {paused.State.Replace('_', ' ')}: {paused.PausedReason}");
        }
        console.Out.WriteLine($"Lag (job and retry topics): {types.Sum(t => t.Lag)}");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
