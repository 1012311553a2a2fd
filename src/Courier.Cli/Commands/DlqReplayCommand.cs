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
    private readonly Option<string?> _server = DlqCommand.ServerOption();
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public DlqReplayCommand(CliContext context)
        : base("replay",
            "Append the original bytes of matching dead letters to their job topic again (same key; header " +
            "courier.replay.of = the dead letter's position), so the dispatcher runs them again. Each dead letter is " +
            "replayed at most once: every replay is recorded in the topic courier.dlq.replays (keyed by the dead " +
            "letter's position) in the same append as the copy, and recorded positions are skipped. With --server the " +
            "dispatcher there replays from its index, at most 10,000 per request (oldest first; run again for more). A replayed job " +
            "that fails again becomes a new dead letter, which can be replayed in turn.")
    {
        Options.Add(_type);
        Options.Add(_class);
        Options.Add(_dryRun);
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var dryRun = parseResult.GetValue(_dryRun);
        JsonObject result;
        if (parseResult.GetValue(_server) is null)
        {
            var settings = CliSettings.Resolve(parseResult, context);
            await using var log = settings.OpenLog(context, mustExist: true);
            var store = new DeadLetterStore(log, settings.CourierOptions);
            result = DeadLetterJson.Replay(await store.ReplayAsync(DlqCommand.Filter(parseResult, _type, _class), dryRun, context.Shutdown));
        }
        else
        {
            using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
            result = await new DlqRemote(http, context.Shutdown).ReplayAsync(parseResult.GetValue(_type), parseResult.GetValue(_class), dryRun);
        }
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, result);
            return ExitCodes.Ok;
        }

        long Count(string name) => JsonOutput.Long(result[name]);
        var output = context.Console.Out;
        var verb = dryRun ? "Would replay" : "Replayed";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {Count("replayed")} dead letters."));
        if (Count("replayed") > 0)
        {
            var rows = (result["by_type"] as JsonObject ?? []).SelectMany(type => (type.Value as JsonObject ?? [])
                    .Select(c => (IReadOnlyList<string>)[type.Key, c.Key, JsonOutput.Long(c.Value).ToString(CultureInfo.InvariantCulture)]))
                .ToList();
            TableOutput.Write(context.Console, null, ["type", "class", dryRun ? "would replay" : "replayed"], rows);
        }
        if (Count("already_replayed") > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Skipped {Count("already_replayed")} replayed before."));
        }
        if (Count("unroutable") > 0)
        {
            var positions = (result["unroutable_positions"] as JsonArray ?? []).Take(5).Select(p => p!.GetValue<string>());
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Skipped {Count("unroutable")} that name no job topic or type (see `courier dlq show`): {string.Join(", ", positions)}"));
        }
        if (Count("left_over") > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Count("left_over")} more match, beyond the {result["max_per_request"]} one request replays: run it again to go on."));
        }
        return ExitCodes.Ok;
    }
}
