using System.CommandLine;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Downtimes;

namespace Courier.Cli.Commands;

/// <summary><c>courier downtime cancel</c>.</summary>
internal sealed class DowntimeCancelCommand : Command
{
    private readonly Option<string> _comment = new("--comment")
    {
        Description = "The comment of the downtimes to cancel: exact (case-sensitive), or with --regex an expression the whole comment must match.",
        HelpName = "TEXT",
        Required = true,
    };
    private readonly Option<bool> _regex = new("--regex") { Description = "--comment is a regular expression matching the whole comment." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Print what would be cancelled; change nothing." };
    private readonly Option<string?> _alertmanager = DowntimeCommand.AlertmanagerOption();
    private readonly Option<string?> _server = RemoteOptions.Server("/v1/downtimes, on its data directory and Alertmanager");
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public DowntimeCancelCommand(CliContext context)
        : base("cancel",
            "Cancel every pending or active downtime whose comment matches, and only those: the store's (ended now, kept "
            + "for the record) and, with an Alertmanager, every silence with that comment (found client-side, expired one by "
            + "one). Prints each id. Exit code 1 when nothing matches.")
    {
        Options.Add(_comment);
        Options.Add(_regex);
        Options.Add(_dryRun);
        Options.Add(_alertmanager);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var dryRun = parseResult.GetValue(_dryRun);
        DowntimeCancellation result;
        using (var remote = DowntimeCommand.RemoteClient(parseResult, context, _server, _token, _alertmanager))
        {
            if (remote is not null)
            {
                // Nothing matching is the dispatcher's 404: a failure, exit 1, as here.
                var route = DowntimeEndpoints.Route + "/cancel";
                var body = await DispatcherEndpoint.PostJsonAsync(remote, route, new DowntimeCancelBody
                {
                    Comment = parseResult.GetValue(_comment),
                    Regex = parseResult.GetValue(_regex),
                    DryRun = dryRun,
                }, context.Shutdown);
                result = DispatcherEndpoint.ReadJson<DowntimeCancellation>(remote, route, body, null);
            }
            else
            {
                var match = Match(parseResult);
                var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
                using var alertmanager = service.Alertmanager;
                result = await DowntimeCommand.TalkingToAlertmanager(() =>
                        DowntimeCancellation.RunAsync(service, match, dryRun, DateTimeOffset.UtcNow, context.Shutdown))
                    ?? throw new CommandFailedException(DowntimeCancellation.NothingMatches(service, match));
            }
        }
        DowntimeLines.Cancellation(context.Console.Out, result);
        return ExitCodes.Ok;
    }

    private CommentMatch Match(ParseResult parseResult)
    {
        try
        {
            return new DowntimeCancelBody { Comment = parseResult.GetValue(_comment), Regex = parseResult.GetValue(_regex) }.ToMatch();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--{e.Message}", e);
        }
    }
}
