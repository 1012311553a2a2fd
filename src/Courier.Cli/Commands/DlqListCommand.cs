using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;

namespace Courier.Cli.Commands;

/// <summary><c>courier dlq list</c>.</summary>
internal sealed class DlqListCommand : Command
{
    private readonly Option<string?> _type = DlqCommand.TypeOption();
    private readonly Option<string?> _class = DlqCommand.ClassOption();
    private readonly Option<int> _limit = new("--limit")
    {
        Description = "Show at most this many, the most recent (0: all).",
        HelpName = "N",
        DefaultValueFactory = _ => 50,
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object." };

    private readonly Option<string?> _server = DlqCommand.ServerOption();
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public DlqListCommand(CliContext context)
        : base("list", "List dead letters: position, type, class, attempts, when, job id, reason, whether replayed.")
    {
        Options.Add(_type);
        Options.Add(_class);
        Options.Add(_limit);
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        IntegerRange.Check(_limit, 0, int.MaxValue, "--limit must be 0 (all) or more.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var limit = parseResult.GetValue(_limit);
        var (topic, matching, shown) = parseResult.GetValue(_server) is null
            ? await ReadLogAsync(parseResult, context, limit)
            : await AskServerAsync(parseResult, context, limit);

        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["topic"] = topic,
                ["matching"] = matching,
                ["shown"] = shown.Count,
                ["dead_letters"] = new JsonArray([.. shown]),
            });
            return ExitCodes.Ok;
        }
        if (matching == 0)
        {
            context.Console.Out.WriteLine($"No dead letters in {topic} match.");
            return ExitCodes.Ok;
        }
        var rows = shown.Select(e => (IReadOnlyList<string>)
        [
            Text(e, "position") ?? "?",
            Text(e, "job_type") ?? "?",
            Text(e, "class") ?? "?",
            JsonOutput.Long(e["attempts"]).ToString(CultureInfo.InvariantCulture),
            Text(e, "release") ?? "-",
            DateTimeOffset.Parse(Text(e, "failed_at") ?? Text(e, "timestamp")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                .ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            Text(e, "job_id") ?? "-",
            e["replayed"]?.GetValue<bool>() == true ? "yes" : "",
            Truncate(Text(e, "message") ?? "", 60),
        ]).ToList();
        TableOutput.Write(context.Console, null, ["position", "type", "class", "attempts", "release", "failed at (UTC)", "job id", "replayed", "reason"], rows);
        context.Console.Out.WriteLine(shown.Count < matching
            ? $"{shown.Count} most recent of {matching} matching (--limit 0 shows all). Details: courier dlq show <position>"
            : $"{matching} dead letters. Details: courier dlq show <position>");
        return ExitCodes.Ok;
    }

    // The most recent last, so the newest is next to the prompt.
    private async Task<(string Topic, long Matching, List<JsonObject> Shown)> ReadLogAsync(ParseResult parseResult, CliContext context, int limit)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        await using var log = settings.OpenLog(context, mustExist: true);
        var store = new DeadLetterStore(log, settings.CourierOptions);
        var all = await store.ListAsync(DlqCommand.Filter(parseResult, _type, _class), context.Shutdown);
        var ordered = all.OrderBy(e => e.Timestamp).ThenBy(e => e.DeadLetter.Position.Partition).ThenBy(e => e.DeadLetter.Position.Offset).ToList();
        var shown = limit > 0 && ordered.Count > limit ? ordered.GetRange(ordered.Count - limit, limit) : ordered;
        return (store.ErrorTopic, all.Count, [.. shown.Select(DeadLetterJson.Summary)]);
    }

    private async Task<(string Topic, long Matching, List<JsonObject> Shown)> AskServerAsync(ParseResult parseResult, CliContext context, int limit)
    {
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
        var (matching, newestFirst) = await new DlqRemote(http, context.Shutdown).ListAsync(parseResult.GetValue(_type), parseResult.GetValue(_class), null, limit);
        newestFirst.Reverse();
        var topic = newestFirst.FirstOrDefault() is { } first ? Text(first, "topic")! : CliSettings.Resolve(parseResult, context).CourierOptions.Topics.ErrorTopic;
        return (topic, matching, newestFirst);
    }

    private static string? Text(JsonObject o, string name) => JsonOutput.Text(o, name);

    private static string Truncate(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
