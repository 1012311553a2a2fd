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

    public DlqListCommand(CliContext context)
        : base("list", "List dead letters: position, type, class, attempts, when, job id, reason, whether replayed.")
    {
        Options.Add(_type);
        Options.Add(_class);
        Options.Add(_limit);
        Options.Add(_json);
        IntegerRange.Check(_limit, 0, int.MaxValue, "--limit must be 0 (all) or more.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        await using var log = settings.OpenLog(context, mustExist: true);
        var store = new DeadLetterStore(log, settings.CourierOptions);
        var all = await store.ListAsync(DlqCommand.Filter(parseResult, _type, _class), context.Shutdown);
        var limit = parseResult.GetValue(_limit);
        // Most recent last, so the newest is next to the prompt.
        var ordered = all.OrderBy(e => e.Timestamp).ThenBy(e => e.DeadLetter.Position.Partition).ThenBy(e => e.DeadLetter.Position.Offset).ToList();
        var shown = limit > 0 && ordered.Count > limit ? ordered.GetRange(ordered.Count - limit, limit) : ordered;

        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["topic"] = store.ErrorTopic,
                ["matching"] = all.Count,
                ["shown"] = shown.Count,
                ["dead_letters"] = new JsonArray(shown.Select(e => (JsonNode)DeadLetterJson.Summary(e)).ToArray()),
            });
            return ExitCodes.Ok;
        }
        if (all.Count == 0)
        {
            context.Console.Out.WriteLine($"No dead letters in {store.ErrorTopic} match.");
            return ExitCodes.Ok;
        }
        var rows = shown.Select(e =>
        {
            var d = e.DeadLetter;
            return (IReadOnlyList<string>)
            [
                LogPosition.Format(d.Position),
                d.JobType ?? "?",
                d.Class?.ToWireName() ?? "?",
                d.Attempts.ToString(CultureInfo.InvariantCulture),
                d.Release ?? "-",
                (d.FailedAt ?? e.Timestamp).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                d.JobId ?? "-",
                e.ReplayedTo is null ? "" : "yes",
                Truncate(d.Message ?? "", 60),
            ];
        }).ToList();
        TableOutput.Write(context.Console, null, ["position", "type", "class", "attempts", "release", "failed at (UTC)", "job id", "replayed", "reason"], rows);
        context.Console.Out.WriteLine(shown.Count < all.Count
            ? $"{shown.Count} most recent of {all.Count} matching (--limit 0 shows all). Details: courier dlq show <position>"
            : $"{all.Count} dead letters. Details: courier dlq show <position>");
        return ExitCodes.Ok;
    }

    private static string Truncate(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…");
    }
}
