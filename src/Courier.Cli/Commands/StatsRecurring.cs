using System.CommandLine;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Recurring;
using Courier.Server.Recurring;

namespace Courier.Cli.Commands;

/// <summary>
/// The recurring jobs part of <c>courier stats</c>: read from the running dispatcher (<c>GET /v1/recurring</c>: last
/// tick, next tick, jobs enqueued); when none answers, the configured ones with their next tick only.
/// </summary>
internal static class StatsRecurring
{
    public static async Task<(IReadOnlyList<RecurringStatus> Recurring, string? Note)> ReadAsync(ParseResult parseResult, CliContext context,
        Option<string?> server, Option<string?> token, CliSettings settings)
    {
        var configured = settings.DispatcherOptions.Recurring;
        var asked = parseResult.GetValue(server) is not null;
        if (configured.Count == 0 && !asked)
        {
            return ([], null); // nothing configured and no dispatcher named: do not probe a port for nothing
        }
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, server, token, TimeSpan.FromSeconds(5));
        try
        {
            var list = await DispatcherEndpoint.GetJsonAsync<RecurringList>(http, RecurringEndpoints.Route, RecurringList.Json, context.Shutdown);
            return (list.Recurring ?? [], null);
        }
        catch (CommandFailedException e) when (!asked)
        {
            var now = DateTimeOffset.UtcNow;
            return ([.. configured.Select(j => new RecurringStatus
            {
                Name = j.Name,
                Type = j.Type,
                Cron = j.Cron,
                TimeZone = j.TimeZone,
                CatchUp = j.CatchUp.ToString().ToLowerInvariant(),
                NextTick = j.NextTickAfter(now),
            })], $"no dispatcher answered ({e.Message}): last ticks and enqueued counts unknown (--server names another)");
        }
    }

    public static void Print(IReadOnlyList<RecurringStatus> recurring, string? note, CliConsole console)
    {
        if (recurring.Count == 0)
        {
            return;
        }
        TableOutput.Write(console, "Recurring jobs", ["name", "type", "cron", "zone", "last tick", "next tick", "enqueued"], RecurringLines.Rows(recurring));
        if (note is not null)
        {
            console.Out.WriteLine($"({note})");
        }
    }
}
