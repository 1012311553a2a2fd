using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;

namespace Courier.Cli.Commands;

/// <summary><c>courier dlq replay</c>.</summary>
internal sealed class DlqReplayCommand : Command
{
    private readonly Option<string?> _type = DlqCommand.TypeOption();
    private readonly Option<string?> _class = DlqCommand.ClassOption();
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Say what would be replayed; change nothing." };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object." };

    public DlqReplayCommand(CliContext context)
        : base("replay",
            "Append the original bytes of matching dead letters to their job topic again (same key; header " +
            "courier.replay.of = the dead letter's position), so the dispatcher runs them again. Each dead letter is " +
            "replayed at most once: every replay is recorded in the topic courier.dlq.replays (keyed by the dead " +
            "letter's position) in the same append as the copy, and recorded positions are skipped. A replayed job " +
            "that fails again becomes a new dead letter, which can be replayed in turn.")
    {
        Options.Add(_type);
        Options.Add(_class);
        Options.Add(_dryRun);
        Options.Add(_json);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        await using var log = settings.OpenLog(context, mustExist: true);
        var store = new DeadLetterStore(log, settings.CourierOptions);
        var dryRun = parseResult.GetValue(_dryRun);
        var result = await store.ReplayAsync(DlqCommand.Filter(parseResult, _type, _class), dryRun, context.Shutdown);

        var byType = result.Replayed
            .GroupBy(r => r.DeadLetter.JobType ?? "?", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, DeadLetterJson.Replay(result));
            return ExitCodes.Ok;
        }

        var output = context.Console.Out;
        var verb = dryRun ? "Would replay" : "Replayed";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {result.Replayed.Count} dead letters."));
        if (result.Replayed.Count > 0)
        {
            var rows = byType.SelectMany(g => g
                    .GroupBy(r => r.DeadLetter.Class?.ToWireName() ?? "unknown", StringComparer.Ordinal)
                    .OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => (IReadOnlyList<string>)[g.Key, c.Key, c.Count().ToString(CultureInfo.InvariantCulture)]))
                .ToList();
            TableOutput.Write(context.Console, null, ["type", "class", dryRun ? "would replay" : "replayed"], rows);
        }
        if (result.AlreadyReplayed > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Skipped {result.AlreadyReplayed} replayed before."));
        }
        if (result.Unroutable.Count > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Skipped {result.Unroutable.Count} that name no job topic or type (see `courier dlq show`): {string.Join(", ", result.Unroutable.Take(5).Select(d => LogPosition.Format(d.Position)))}"));
        }
        return ExitCodes.Ok;
    }
}
