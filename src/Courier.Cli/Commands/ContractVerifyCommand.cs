using System.CommandLine;
using System.Globalization;
using Courier.Cli.Contracts;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Admin;
using Courier.Server.Configuration;
using Courier.Server.Contracts;
using Courier.Server.Data;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier contract verify</c>: decodes every event of the golden corpus — or, with <c>--from</c>, the records
/// the log received since <c>--since</c> — with the current build: codec, params contract, converters and handler
/// binding, no handler run. Exit 0 when all decode, 1 when any does not, 2 for bad input.
/// </summary>
internal sealed class ContractVerifyCommand : Command
{
    /// <summary>The <c>--from</c> value naming the engine the global options select.</summary>
    public const string CurrentLog = "log";

    private readonly Option<string> _corpus = ContractCommand.CorpusOption();
    private readonly Option<string?> _from = new("--from")
    {
        Description = "Check recent records of a job log instead of the corpus: `log` for the engine the global options name " +
            "(--data, --config, --kafka), or a configuration file (its engine and params schemas).",
        HelpName = "log|CONFIG",
    };
    private readonly Option<string> _since = new("--since")
    {
        Description = "With --from: records written in this window (30s, 15m, 1h, 2d) or since this time (ISO 8601).",
        HelpName = "DURATION|TIME",
        DefaultValueFactory = _ => "1h",
    };
    private readonly Option<int?> _sample = new("--sample")
    {
        Description = "With --from: at most this many records per job type.",
        HelpName = "N",
    };

    public ContractVerifyCommand(CliContext context)
        : base("verify", "Decode every stored event (or, with --from, recent records of the log) with this build's codec, params " +
            "schemas, converters and handler binding, without running handlers. Lists each event that no longer decodes; exit 1 when any.")
    {
        Options.Add(_corpus);
        Options.Add(_from);
        Options.Add(_since);
        Options.Add(_sample);
        _sample.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1)
            {
                r.AddError("--sample must be at least 1.");
            }
        });
        Validators.Add(r =>
        {
            if (r.GetResult(_from) is null && (r.GetResult(_sample) is not null || r.GetResult(_since) is { Implicit: false }))
            {
                r.AddError("--since and --sample apply to --from: the corpus is always verified whole.");
            }
        });
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        if (parseResult.GetValue(_from) is { } from)
        {
            var since = ParseSince(parseResult.GetValue(_since)!, DateTimeOffset.UtcNow);
            if (!string.Equals(from, CurrentLog, StringComparison.Ordinal))
            {
                settings = FromConfig(settings, from);
            }
            return await ReplayAsync(settings, since, parseResult.GetValue(_sample), context);
        }
        return await VerifyCorpusAsync(settings, parseResult.GetValue(_corpus)!, context);
    }

    private static async Task<int> VerifyCorpusAsync(CliSettings settings, string corpus, CliContext context)
    {
        if (!Directory.Exists(corpus))
        {
            throw new UsageException($"--corpus {corpus}: no such directory (record one with `courier contract record`)");
        }
        var events = EventCorpus.Load(corpus);
        if (events.Count == 0)
        {
            throw new UsageException($"--corpus {corpus}: no events stored (<type>/<version>/<name>.json)");
        }
        await using var build = ContractBuild.Create(settings.Config);
        var failures = new List<IReadOnlyList<string>>();
        foreach (var stored in events)
        {
            var verdict = build.Verifier.Verify(stored.Bytes.Span);
            if (!verdict.Success)
            {
                failures.Add([verdict.JobType ?? stored.JobType, verdict.ParamsVersion ?? stored.Version, Path.GetRelativePath(corpus, stored.Path),
                    verdict.Reason!, verdict.Error ?? ""]);
            }
        }
        var types = events.Select(e => e.JobType).Distinct(StringComparer.Ordinal).Count();
        if (failures.Count == 0)
        {
            context.Console.Out.WriteLine($"All {events.Count} events of {types} types in {corpus} decode with this build (schemas: {build.SchemaDirectory}).");
            return ExitCodes.Ok;
        }
        TableOutput.Write(context.Console, $"Events that no longer decode ({failures.Count} of {events.Count})", ["type", "version", "file", "reason", "error"], failures);
        context.Console.Out.WriteLine($"{failures.Count} of {events.Count} events in {corpus} no longer decode with this build (schemas: {build.SchemaDirectory}).");
        return ExitCodes.Failure;
    }

    private static async Task<int> ReplayAsync(CliSettings settings, DateTimeOffset since, int? sample, CliContext context)
    {
        await using var build = ContractBuild.Create(settings.Config);
        using var engine = settings.StartEngine(context, allowDevCluster: false);
        await using var log = engine.Engine.Open(mustExist: true, settings.CourierOptions.DefaultPartitions);
        var results = await ContractReplay.RunAsync(log, settings.CourierOptions, build.Verifier, since, sample, cancellationToken: context.Shutdown);
        var read = results.Sum(r => r.Read);
        context.Console.Out.WriteLine($"Records of {engine.Engine.Describe()} since {since.ToString("u", CultureInfo.InvariantCulture)}"
            + (sample is { } n ? $", at most {n} per type" : "") + $": {read}");
        var rows = results.Where(r => r.Read > 0).Select(r => (IReadOnlyList<string>)[r.JobType, N(r.Read), N(r.Decoded), N(r.Failed),
            string.Join(", ", r.FailedByReason.Select(kv => $"{kv.Key} {N(kv.Value)}"))]).ToList();
        if (rows.Count > 0)
        {
            TableOutput.Write(context.Console, null, ["type", "read", "decoded", "failed", "failed by reason"], rows);
        }
        var failed = results.Where(r => r.Failed > 0).ToList();
        foreach (var result in failed)
        {
            context.Console.Out.WriteLine($"{result.JobType}: examples of records that no longer decode:");
            foreach (var example in result.Examples)
            {
                context.Console.Out.WriteLine($"  {LogPosition.Format(example.Position)} version {example.ParamsVersion ?? "-"} {example.Reason}: {example.Error}");
            }
        }
        var failures = failed.Sum(r => r.Failed);
        context.Console.Out.WriteLine(failures == 0
            ? $"All {read} records decode with this build (schemas: {build.SchemaDirectory})."
            : $"{failures} of {read} records no longer decode with this build (schemas: {build.SchemaDirectory}).");
        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static CliSettings FromConfig(CliSettings settings, string path)
    {
        var config = CourierConfigFile.Load(path);
        var courierOptions = new CourierOptions();
        var dispatcherOptions = new DispatcherOptions();
        config.ApplyTo(courierOptions, dispatcherOptions);
        return new CliSettings
        {
            Data = config.Data is { } data ? new CourierDataDirectory(data) : settings.Data,
            Config = config,
            ConfigPath = path,
            CourierOptions = courierOptions,
            DispatcherOptions = dispatcherOptions,
            Verbose = settings.Verbose,
            Kafka = settings.Kafka,
        };
    }

    /// <summary>A window back from <paramref name="now"/> (<c>90s</c>, <c>15m</c>, <c>1h</c>, <c>2d</c>) or an ISO 8601 time.</summary>
    internal static DateTimeOffset ParseSince(string value, DateTimeOffset now, string option = "--since")
    {
        if (value.Length >= 2 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? window = value[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (window is { } w)
            {
                return now - w;
            }
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }
        throw new UsageException($"{option}: '{value}' is neither a window (30s, 15m, 1h, 2d) nor a time (2026-04-17T10:00:00Z)");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
