using System.CommandLine;
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
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var match = Match(parseResult);
        var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
        using var alertmanager = service.Alertmanager;
        var output = context.Console.Out;
        var matches = await DowntimeCommand.TalkingToAlertmanager(() => service.FindAsync(match, context.Shutdown));
        if (matches.IsEmpty)
        {
            throw new CommandFailedException(
                $"no pending or active downtime has the {match} (store {service.Store.Path}"
                + (alertmanager is null ? "; no Alertmanager configured)" : $", Alertmanager {alertmanager.BaseUrl})"));
        }

        if (parseResult.GetValue(_dryRun))
        {
            foreach (var silence in matches.Silences)
            {
                output.WriteLine($"would expire Alertmanager silence {silence.Id}  {Describe(silence)}");
            }
            foreach (var downtime in matches.Downtimes)
            {
                output.WriteLine($"would cancel store downtime {downtime.Id}  {Describe(downtime)}");
            }
            output.WriteLine($"Dry run: {Counts(matches.Downtimes.Count, matches.Silences.Count)} match; nothing changed.");
            return ExitCodes.Ok;
        }

        var cancelled = await DowntimeCommand.TalkingToAlertmanager(() => service.CancelAsync(matches,
            id => output.WriteLine($"expired Alertmanager silence {id}  {Describe(matches.Silences.First(s => s.Id == id))}"),
            context.Shutdown));
        var byId = matches.Downtimes.ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var id in cancelled)
        {
            output.WriteLine($"cancelled store downtime {id}  {Describe(byId[id])}");
        }
        output.WriteLine($"Cancelled {Counts(cancelled.Count, matches.Silences.Count)} with the {match}.");
        return ExitCodes.Ok;
    }

    private CommentMatch Match(ParseResult parseResult)
    {
        var comment = parseResult.GetValue(_comment)!;
        if (string.IsNullOrWhiteSpace(comment))
        {
            throw new UsageException("--comment is empty");
        }
        if (!parseResult.GetValue(_regex))
        {
            return CommentMatch.Exact(comment);
        }
        try
        {
            return CommentMatch.FullRegex(comment);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--comment: '{comment}' is not a regular expression: {e.Message}", e);
        }
    }

    private static string Counts(int downtimes, int silences) =>
        $"{downtimes} store downtime{(downtimes == 1 ? "" : "s")} and {silences} Alertmanager silence{(silences == 1 ? "" : "s")}";

    private static string Describe(Downtime d) =>
        $"(group {d.GroupId}, service {d.Service}, hosts {d.Hosts}, until {DowntimeCommand.Time(d.EndsAt)} UTC): {d.Comment}";

    private static string Describe(Silence s) =>
        $"({string.Join(", ", s.Matchers)}, until {DowntimeCommand.Time(s.EndsAt)} UTC): {s.Comment}";
}
