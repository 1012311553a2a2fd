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

    public DlqShowCommand(CliContext context)
        : base("show", "Show one dead letter: why it failed, every header, and the original event pretty-printed.")
    {
        Arguments.Add(_which);
        Options.Add(_json);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        await using var log = settings.OpenLog(context, mustExist: true);
        var store = new DeadLetterStore(log, settings.CourierOptions);
        var which = parseResult.GetValue(_which)!;
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
        if (entries.Count == 0)
        {
            throw new CommandFailedException($"no dead letter {which} in {store.ErrorTopic}");
        }

        if (parseResult.GetValue(_json))
        {
            // One object for one dead letter; a job replayed and failed again has several, printed as an array.
            JsonOutput.Write(context.Console.Out, entries.Count == 1
                ? DeadLetterJson.Full(entries[0])
                : new JsonArray(entries.Select(e => (JsonNode)DeadLetterJson.Full(e)).ToArray()));
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

    private static void Print(DeadLetterEntry entry, TextWriter output)
    {
        var d = entry.DeadLetter;
        output.WriteLine($"Dead letter {LogPosition.Format(d.Position)}");
        void Field(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                output.WriteLine($"  {name,-18} {value}");
            }
        }
        Field("job type", d.JobType);
        Field("job id", d.JobId);
        Field("class", d.Class?.ToWireName());
        Field("reason", d.Message);
        Field("attempts", d.Attempts.ToString(CultureInfo.InvariantCulture));
        Field("origin topic", d.OriginTopic);
        Field("key", d.Key);
        Field("executor", d.Executor);
        Field("release", d.Release);
        Field("producer version", d.ProducerVersion);
        Field("dispatcher", d.DispatcherVersion);
        Field("first attempt at", d.FirstAttemptAt is null ? null : JsonOutput.Time(d.FirstAttemptAt));
        Field("failed at", d.FailedAt is null ? null : JsonOutput.Time(d.FailedAt));
        Field("replayed", entry.ReplayedTo is null ? "no" : $"yes, to {entry.ReplayedTo}");
        output.WriteLine("Headers");
        foreach (var header in entry.Headers)
        {
            output.WriteLine($"  {header.Key} = {DeadLetterJson.HeaderText(header.Value)}");
        }
        var raw = d.OriginalEvent;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Original event ({raw.Length} bytes, as stored)"));
        if (DeadLetterJson.TryParseJson(raw) is { } json)
        {
            output.WriteLine(json.ToJsonString(JsonOutput.Indented));
        }
        else if (DeadLetterJson.TryUtf8(raw) is { } text)
        {
            output.WriteLine("(not valid JSON; shown as text)");
            output.WriteLine(text);
        }
        else
        {
            output.WriteLine("(not UTF-8; shown as base64)");
            output.WriteLine(Convert.ToBase64String(raw.Span));
        }
    }
}
