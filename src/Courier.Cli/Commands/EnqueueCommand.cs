using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;
using Courier.Server.Demo;

namespace Courier.Cli.Commands;

/// <summary><c>courier enqueue</c>: one job through the client, a whole event checked by the codec, or raw bytes.</summary>
internal sealed class EnqueueCommand : Command
{
    private readonly Option<string?> _type = new("--type")
    {
        Description = "Job type; the job goes to its topic (mediawiki.job.<type>). Required except with --event.",
        HelpName = "TYPE",
    };
    private readonly Option<string> _database = new("--database")
    {
        Description = "The wiki (tenant); also the partitioning key.",
        HelpName = "DB",
        DefaultValueFactory = _ => "testwiki",
    };
    private readonly Option<string?> _params = new("--params")
    {
        Description = "Params: a JSON object, or @FILE to read it from a file.",
        HelpName = "JSON",
    };
    private readonly Option<DateTimeOffset?> _delayUntil = new("--delay-until")
    {
        Description = "Do not run before this time (ISO-8601, e.g. 2030-01-01T00:00:00Z).",
        HelpName = "TIME",
    };
    private readonly Option<string?> _event = new("--event")
    {
        Description = "A whole job event (mediawiki/job shape): JSON, or @FILE. Checked by the codec, appended as given.",
        HelpName = "JSON",
    };
    private readonly Option<string?> _raw = new("--raw")
    {
        Description = "Append the bytes of @FILE (or - for stdin) AS-IS to the job topic of --type, unchecked: for testing bad input.",
        HelpName = "@FILE|-",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON." };

    public EnqueueCommand(CliContext context)
        : base("enqueue", "Enqueue one job and print its id and position in the log.")
    {
        Options.Add(_type);
        Options.Add(_database);
        Options.Add(_params);
        Options.Add(_delayUntil);
        Options.Add(_event);
        Options.Add(_raw);
        Options.Add(_json);
        Validators.Add(result =>
        {
            var hasEvent = result.GetResult(_event) is not null;
            var hasRaw = result.GetResult(_raw) is not null;
            var hasType = result.GetResult(_type) is not null;
            if (hasEvent && hasRaw)
            {
                result.AddError("--event and --raw cannot be used together.");
            }
            else if (hasEvent && (hasType || result.GetResult(_params) is not null || result.GetResult(_delayUntil) is not null))
            {
                result.AddError("--event carries the whole job: do not combine it with --type, --params or --delay-until.");
            }
            else if (!hasEvent && !hasType)
            {
                result.AddError("Option '--type' is required (or give a whole event with --event).");
            }
            else if (hasRaw && (result.GetResult(_params) is not null || result.GetResult(_delayUntil) is not null))
            {
                result.AddError("--raw appends bytes as they are: do not combine it with --params or --delay-until.");
            }
        });
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        var options = settings.CourierOptions;
        var cancellationToken = context.Shutdown;
        // Check the input before touching the data directory: a typo must not create an empty job log.
        Func<IJobLog, Task<(string? Id, string Type, TopicPartitionOffset Position)>> append;
        if (parseResult.GetValue(_event) is { } eventArg)
        {
            var bytes = await ReadArgumentAsync(eventArg, "--event", context);
            var decoded = new JobEventCodec(options).Decode(bytes);
            if (decoded.Event is not { } jobEvent)
            {
                throw new UsageException($"--event is not a valid job event: {decoded.Error}");
            }
            // The same params contract the intake and the dispatcher apply.
            var contract = Contract(settings).Check(jobEvent.Type, jobEvent.Meta.ParamsVersion, jobEvent.Params);
            if (!contract.IsAccepted)
            {
                throw new UsageException($"--event breaks its params contract: {contract.Error}");
            }
            append = async log => (jobEvent.Meta.Id, jobEvent.Type,
                await AppendAsync(log, options, options.Topics.JobTopic(jobEvent.Type), jobEvent.Database, bytes, cancellationToken));
        }
        else if (parseResult.GetValue(_raw) is { } rawArg)
        {
            if (rawArg != "-" && !rawArg.StartsWith('@'))
            {
                throw new UsageException("--raw takes @FILE or - (stdin), not inline text.");
            }
            var bytes = await ReadArgumentAsync(rawArg, "--raw", context);
            var rawType = parseResult.GetValue(_type)!;
            var key = parseResult.GetResult(_database) is { Implicit: false } ? parseResult.GetValue(_database) : null;
            append = async log => (null, rawType, await AppendAsync(log, options, options.Topics.JobTopic(rawType), key, bytes, cancellationToken));
        }
        else
        {
            JsonElement? jobParams = null;
            if (parseResult.GetValue(_params) is { } paramsArg)
            {
                jobParams = ParseParams(await ReadArgumentAsync(paramsArg, "--params", context));
            }
            var request = new JobRequest
            {
                Type = parseResult.GetValue(_type)!,
                Database = parseResult.GetValue(_database)!,
                Params = jobParams,
                DelayUntil = parseResult.GetValue(_delayUntil),
            };
            // The client writes the type's newest params version and refuses params that break it: checked here,
            // before the data directory is touched.
            var schemas = Contract(settings);
            if (schemas.GetLatest(request.Type) is { } latest
                && schemas.Check(request.Type, latest.Version.ToString(), jobParams ?? EmptyParams) is { IsAccepted: false } contract)
            {
                throw new UsageException($"--params: {contract.Error}");
            }
            options.ParamsSchemas = schemas;
            append = async log =>
            {
                using var telemetry = new CourierTelemetry();
                using var client = new CourierClient(log, options, telemetry, TimeProvider.System);
                var job = await client.EnqueueAsync(request, cancellationToken);
                return (job.Id, job.Type, job.Position);
            };
        }

        await using var log = settings.OpenLog(context, mustExist: false);
        var (id, type, position) = await append(log);

        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["id"] = id,
                ["type"] = type,
                ["position"] = LogPosition.Format(position),
                ["topic"] = position.Topic,
                ["partition"] = position.Partition,
                ["offset"] = position.Offset,
            });
        }
        else
        {
            context.Console.Out.WriteLine(id is null
                ? $"appended {type} record at {LogPosition.Format(position)} (raw, unchecked)"
                : $"enqueued {type} job {id} at {LogPosition.Format(position)}");
        }
        return ExitCodes.Ok;
    }

    private static readonly JsonElement EmptyParams = JsonElement.Parse("{}");

    /// <summary>The configuration's params schemas, else the demo types' (the CLI's dispatcher serves those).</summary>
    private static ParamsSchemaRegistry Contract(CliSettings settings) =>
        ParamsSchemaRegistry.Load(settings.Config?.ParamsSchemas?.Directory ?? DemoSchemas.Directory);

    private static JsonElement ParseParams(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"--params must be a JSON object, got {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            }
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new UsageException($"--params is not valid JSON: {e.Message}", e);
        }
    }

    private static async Task<TopicPartitionOffset> AppendAsync(IJobLog log, CourierOptions options, string topic, string? key,
        byte[] bytes, CancellationToken cancellationToken)
    {
        await log.EnsureTopicAsync(topic, options.DefaultPartitions, cancellationToken);
        using var producer = log.CreateProducer();
        var positions = await producer.ProduceAsync([new OutgoingRecord(topic, key, bytes)], cancellationToken);
        return positions[0];
    }

    /// <summary>Inline text, <c>@FILE</c>, or <c>-</c> for stdin.</summary>
    private static async Task<byte[]> ReadArgumentAsync(string value, string option, CliContext context)
    {
        if (value == "-")
        {
            await using var input = context.Console.OpenInput();
            using var buffer = new MemoryStream();
            await input.CopyToAsync(buffer, context.Shutdown);
            return buffer.ToArray();
        }
        if (value.StartsWith('@'))
        {
            var path = value[1..];
            try
            {
                return await File.ReadAllBytesAsync(path, context.Shutdown);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option}: cannot read {path}: {e.Message}"), e);
            }
        }
        return Encoding.UTF8.GetBytes(value);
    }
}
