using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;
using Courier.Server.Hosting;
using Courier.Server.Recurring;

namespace Courier.Cli.Commands;

/// <summary><c>courier stats</c>: offsets, backlog, dead letters and operators' pauses, read from the job log.</summary>
internal sealed class StatsCommand : Command
{
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object instead of tables." };
    private readonly Option<string?> _server = DispatcherEndpoint.ServerOption();

    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public StatsCommand(CliContext context)
        : base("stats", "Per topic and partition: high watermark, the dispatcher group's committed offset and the backlog; " +
            "dead letters in the error topic by type and class; recurring jobs (last and next tick, from the running dispatcher). " +
            "With --server, the running dispatcher's own view instead (GET /v1/types: per type state, counts, rate, lag; and its recurring jobs). " +
            "Safe to run while `courier up` runs.")
    {
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        if (parseResult.GetValue(_server) is not null)
        {
            return await StatsTypes.RunAsync(parseResult, context, _server, _token, parseResult.GetValue(_json));
        }
        var settings = CliSettings.Resolve(parseResult, context);
        var state = StateStoreChoice.FromConfig(settings.Config, settings.Data);
        using var engine = settings.StartEngine(context, allowDevCluster: false);
        await using var log = engine.Engine.Open(mustExist: true, settings.CourierOptions.DefaultPartitions);
        var stats = await LogStatsReader.ReadAsync(log, settings.CourierOptions, settings.DispatcherOptions.GroupId,
            cancellationToken: context.Shutdown);
        var paused = await OperatorPauses.ReadAsync(log, settings.CourierOptions.Topics, TimeProvider.System, context.Shutdown);
        var (recurring, recurringNote) = await StatsRecurring.ReadAsync(parseResult, context, _server, _token, settings);
        if (parseResult.GetValue(_json))
        {
            var json = ToJson(stats, settings, engine.Engine);
            json["state_store"] = new JsonObject { ["name"] = state.Name, ["location"] = state.Location };
            json["paused"] = new JsonArray(paused.Select(p => JsonNode.Parse(p.ToJson())).ToArray());
            json["recurring"] = JsonSerializer.SerializeToNode(recurring, RecurringList.Json);
            json["recurring_note"] = recurringNote;
            JsonOutput.Write(context.Console.Out, json);
        }
        else
        {
            Print(stats, settings, engine.Engine, context.Console);
            context.Console.Out.WriteLine($"State store {state.Describe()}");
            StatsRecurring.Print(recurring, recurringNote, context.Console);
            foreach (var pause in paused)
            {
                context.Console.Out.WriteLine($"Paused on every dispatcher: {pause.Type} since {pause.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}"
                    + $" by {pause.By} ({pause.Reason}); `courier resume {pause.Type}` ends it. Breakers are per dispatcher: `courier up`, courier_breaker_state.");
            }
        }
        return ExitCodes.Ok;
    }

    internal static JsonObject ToJson(LogStats stats, CliSettings settings, JobLogEngine engine)
    {
        var topics = new JsonArray();
        foreach (var topic in stats.Topics)
        {
            var partitions = new JsonArray();
            foreach (var p in topic.Partitions)
            {
                partitions.Add(new JsonObject
                {
                    ["partition"] = p.Partition,
                    ["low"] = p.Low,
                    ["high"] = p.High,
                    ["committed"] = p.Committed,
                    ["backlog"] = p.Backlog,
                    ["oldest_unprocessed"] = p.OldestUnprocessed?.ToString("O", CultureInfo.InvariantCulture),
                });
            }
            topics.Add(new JsonObject
            {
                ["name"] = topic.Name,
                ["kind"] = topic.Kind.ToString().ToLowerInvariant(),
                ["job_type"] = topic.JobType,
                ["records"] = topic.Records,
                ["backlog"] = topic.Backlog,
                ["partitions"] = partitions,
            });
        }
        var byType = new JsonObject();
        foreach (var (type, byClass) in stats.DeadLetters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            byType[type] = JsonOutput.Counts(byClass, c => c);
        }
        return new JsonObject
        {
            ["engine"] = engine.Name,
            // The SQLite file, or the Kafka bootstrap servers.
            ["log"] = engine.Location,
            ["group"] = stats.GroupId,
            ["topics"] = topics,
            ["backlog"] = stats.Topics.Sum(t => t.Backlog ?? 0),
            ["dead_letters"] = new JsonObject
            {
                ["topic"] = settings.CourierOptions.Topics.ErrorTopic,
                ["total"] = stats.DeadLetterTotal,
                ["by_type"] = byType,
                ["replayed"] = stats.Replayed,
            },
        };
    }

    private static void Print(LogStats stats, CliSettings settings, JobLogEngine engine, CliConsole console)
    {
        console.Out.WriteLine($"Job log {engine.Describe()} — dispatcher group {stats.GroupId}");
        if (stats.Topics.Count == 0)
        {
            console.Out.WriteLine("No topics yet: nothing was ever enqueued here.");
            return;
        }
        // Every job type has a retry topic per delay tier, most of them empty; the table shows partitions that
        // ever held a record (--json lists everything).
        var rows = new List<IReadOnlyList<string>>();
        var hidden = 0;
        var now = DateTimeOffset.UtcNow;
        foreach (var topic in stats.Topics)
        {
            var used = topic.Partitions.Where(p => p.High > 0).ToList();
            if (used.Count == 0)
            {
                hidden++;
                continue;
            }
            foreach (var p in used)
            {
                rows.Add([topic.Name, N(p.Partition), N(p.High), p.Committed is { } c ? N(c) : "-", p.Backlog is { } b ? N(b) : "-",
                    p.OldestUnprocessed is { } t ? Age(now - t) : "-"]);
            }
        }
        TableOutput.Write(console, null, ["topic", "partition", "high", "committed", "lag", "oldest unprocessed"], rows);
        if (hidden > 0)
        {
            console.Out.WriteLine($"({hidden} topics that never held a record are not shown; --json lists them.)");
        }
        console.Out.WriteLine($"Backlog (job and retry topics): {stats.Topics.Sum(t => t.Backlog ?? 0)}");

        var classes = stats.DeadLetters.Values.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        console.Out.WriteLine($"Dead letters in {settings.CourierOptions.Topics.ErrorTopic}: {stats.DeadLetterTotal} (replayed so far: {stats.Replayed})");
        if (stats.DeadLetterTotal > 0)
        {
            var dlRows = stats.DeadLetters.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (IReadOnlyList<string>)[kv.Key, .. classes.Select(c => N(kv.Value.GetValueOrDefault(c))), N(kv.Value.Values.Sum())])
                .ToList();
            TableOutput.Write(console, "Dead letters by type and class", ["type", .. classes, "total"], dlRows);
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age) => age.TotalSeconds < 1 ? "<1s"
        : age.TotalMinutes < 1 ? $"{age.TotalSeconds:0}s"
        : age.TotalHours < 1 ? $"{age.TotalMinutes:0}m"
        : age.TotalDays < 1 ? $"{age.TotalHours:0.#}h"
        : $"{age.TotalDays:0.#}d";
}
