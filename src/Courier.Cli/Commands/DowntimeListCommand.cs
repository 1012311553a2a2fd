using System.CommandLine;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Downtimes;

namespace Courier.Cli.Commands;

/// <summary><c>courier downtime list</c>.</summary>
internal sealed class DowntimeListCommand : Command
{
    private readonly Option<bool> _all = new("--all")
    {
        Description = $"Also downtimes that ended or were cancelled (the store keeps them {DowntimeStore.Retention.TotalDays:0} days), and expired silences.",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object." };
    private readonly Option<string?> _alertmanager = DowntimeCommand.AlertmanagerOption();
    private readonly Option<string?> _server = RemoteOptions.Server("/v1/downtimes, on its data directory and Alertmanager");
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public DowntimeListCommand(CliContext context)
        : base("list",
            "List pending and active downtimes of the data directory's store and, with an Alertmanager, the silences "
            + "`courier downtime add` created there (their creator carries `courier-downtime:<group>`). With --server, a "
            + "running dispatcher's (GET /v1/downtimes).")
    {
        Options.Add(_all);
        Options.Add(_json);
        Options.Add(_alertmanager);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var all = parseResult.GetValue(_all);
        DowntimeListing listing;
        using (var remote = DowntimeCommand.RemoteClient(parseResult, context, _server, _token, _alertmanager))
        {
            if (remote is not null)
            {
                listing = await DispatcherEndpoint.GetJsonAsync<DowntimeListing>(remote, DowntimeEndpoints.Route + (all ? "?all=true" : ""), null,
                    context.Shutdown);
            }
            else
            {
                var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
                using var alertmanager = service.Alertmanager;
                listing = await DowntimeCommand.TalkingToAlertmanager(() => DowntimeListing.ReadAsync(service, all, DateTimeOffset.UtcNow, context.Shutdown));
            }
        }
        if (parseResult.GetValue(_json))
        {
            DowntimeLines.Json(context.Console.Out, listing);
        }
        else
        {
            DowntimeLines.Listing(context.Console, listing, all);
        }
        return ExitCodes.Ok;
    }
}
