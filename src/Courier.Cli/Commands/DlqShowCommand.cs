using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;

namespace Courier.Cli.Commands;

/// <summary><c>courier dlq show</c>.</summary>
internal sealed class DlqShowCommand : Command
{
    private readonly Argument<string> _which = new("position-or-job-id")
    {
        Description = "A dead letter's position (topic:partition:offset, as `dlq list` prints it) or a job id.",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print JSON: the dead letter's fields, headers and the original event." };

    private readonly Option<string?> _server = DlqCommand.ServerOption();
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public DlqShowCommand(CliContext context)
        : base("show", "Show one dead letter: why it failed, every header, and the original event pretty-printed.")
    {
        Arguments.Add(_which);
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var which = parseResult.GetValue(_which)!;
        var entries = parseResult.GetValue(_server) is null
            ? await ReadLogAsync(parseResult, context, which)
            : await AskServerAsync(parseResult, context, which);

        if (parseResult.GetValue(_json))
        {
            // One object for one dead letter; a job replayed and failed again has several, printed as an array.
            JsonOutput.Write(context.Console.Out, entries.Count == 1 ? entries[0] : new JsonArray([.. entries]));
            return ExitCodes.Ok;
        }
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                context.Console.Out.WriteLine();
            }
            Print(entries[i], context.Console.Out);
        }
        return ExitCodes.Ok;
    }

    private static async Task<List<JsonObject>> ReadLogAsync(ParseResult parseResult, CliContext context, string which)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        await using var log = settings.OpenLog(context, mustExist: true);
        var store = new DeadLetterStore(log, settings.CourierOptions);
        IReadOnlyList<DeadLetterEntry> entries;
        if (LogPosition.TryParse(which, out var position))
        {
            if (!string.Equals(position.Topic, store.ErrorTopic, StringComparison.Ordinal))
            {
                throw new UsageException($"{which} is not in the error topic {store.ErrorTopic}");
            }
            entries = await store.GetAsync(position, context.Shutdown) is { } entry ? [entry] : [];
        }
        else
        {
            entries = await store.FindByJobIdAsync(which, context.Shutdown);
        }
        return entries.Count > 0 ? [.. entries.Select(DeadLetterJson.Full)] : throw new CommandFailedException($"no dead letter {which} in {store.ErrorTopic}");
    }

    private async Task<List<JsonObject>> AskServerAsync(ParseResult parseResult, CliContext context, string which)
    {
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
        var remote = new DlqRemote(http, context.Shutdown);
        if (LogPosition.TryParse(which, out _))
        {
            return [await remote.GetAsync(which)];
        }
        // Oldest first, as the log's scan finds them.
        var (_, found) = await remote.ListAsync(null, null, which, limit: 0);
        found.Reverse();
        var entries = new List<JsonObject>();
        foreach (var summary in found)
        {
            entries.Add(await remote.GetAsync(summary["position"]!.GetValue<string>()));
        }
        return entries.Count > 0 ? entries : throw new CommandFailedException($"no dead letter {which} at {http.BaseAddress}");
    }

    private static void Print(JsonObject entry, TextWriter output)
    {
        static string? Text(JsonObject o, string name) => JsonOutput.Text(o, name);
        output.WriteLine($"Dead letter {Text(entry, "position")}");
        void Field(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                output.WriteLine($"  {name,-18} {value}");
            }
        }
        Field("job type", Text(entry, "job_type"));
        Field("job id", Text(entry, "job_id"));
        Field("class", Text(entry, "class"));
        Field("reason", Text(entry, "message"));
        Field("attempts", JsonOutput.Long(entry["attempts"]).ToString(CultureInfo.InvariantCulture));
        Field("origin topic", Text(entry, "origin_topic"));
        Field("key", Text(entry, "key"));
        Field("executor", Text(entry, "executor"));
        Field("release", Text(entry, "release"));
        Field("producer version", Text(entry, "producer_version"));
        Field("dispatcher", Text(entry, "dispatcher_version"));
        Field("first attempt at", Text(entry, "first_attempt_at"));
        Field("failed at", Text(entry, "failed_at"));
        Field("replayed", Text(entry, "replayed_to_topic") is { } to ? $"yes, to {to}" : "no");
        if (entry["replay"] is JsonObject replay)
        {
            Field("replay outcome", $"{Text(replay, "outcome")}{(Text(replay, "dead_lettered_again_at") is { } again ? $", dead-lettered again at {again}" : "")}");
        }
        output.WriteLine("Headers");
        foreach (var (key, value) in entry["headers"] as JsonObject ?? [])
        {
            output.WriteLine($"  {key} = {value?.GetValue<string>()}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Original event ({JsonOutput.Long(entry["event_bytes"])} bytes, as stored)"));
        if (entry["event"] is { } json)
        {
            output.WriteLine(json.ToJsonString(JsonOutput.Indented));
        }
        else if (Text(entry, "event_text") is { } text)
        {
            output.WriteLine("(not valid JSON; shown as text)");
            output.WriteLine(text);
        }
        else
        {
            output.WriteLine("(not UTF-8; shown as base64)");
            output.WriteLine(Text(entry, "event_base64"));
        }
    }
}
