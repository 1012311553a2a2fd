using System.CommandLine;
using System.Text;
using System.Text.Json;
using Courier.Cli.Contracts;
using Courier.Cli.Settings;
using Courier.Server.Contracts;
using Courier.Server.Demo;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier contract record</c>: stores example events in the golden corpus — the demo workload's (built by the
/// client, so they carry their params version), or the events of a file.
/// </summary>
internal sealed class ContractRecordCommand : Command
{
    private readonly Option<string> _corpus = ContractCommand.CorpusOption();
    private readonly Option<string?> _type = new("--type") { Description = "Only events of this job type.", HelpName = "TYPE" };
    private readonly Option<string?> _fromFile = new("--from-file")
    {
        Description = "Record the events of this file (a JSON array of events, or one event per line) instead of the demo workload's.",
        HelpName = "FILE",
    };
    private readonly Option<int> _count = new("--count")
    {
        Description = "At most this many events per type and version, counting those already stored.",
        HelpName = "N",
        DefaultValueFactory = _ => 3,
    };

    public ContractRecordCommand(CliContext context)
        : base("record", "Store example events per job type and params version in the golden corpus (default: the demo workload's). " +
            "Existing files are kept.")
    {
        Options.Add(_corpus);
        Options.Add(_type);
        Options.Add(_fromFile);
        Options.Add(_count);
        _count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--count must be at least 1.");
            }
        });
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        var corpus = parseResult.GetValue(_corpus)!;
        var type = parseResult.GetValue(_type);
        await using var build = ContractBuild.Create(settings.Config);
        var codec = new JobEventCodec(build.Options);
        var events = parseResult.GetValue(_fromFile) is { } file
            ? await ReadFileAsync(file, context.Shutdown)
            : await DemoEventsAsync(build.Options, context.Shutdown);
        var selected = events.Where(e => type is null || TypeOf(codec, e) == type).ToList();
        var written = EventCorpus.Record(corpus, selected, codec, parseResult.GetValue(_count));
        foreach (var path in written)
        {
            context.Console.Out.WriteLine($"recorded {Path.GetRelativePath(corpus, path)}");
        }
        context.Console.Out.WriteLine($"{written.Count} events recorded in {corpus} ({selected.Count} offered; each type and version keeps at most {parseResult.GetValue(_count)}).");
        return ExitCodes.Ok;
    }

    private static string? TypeOf(JobEventCodec codec, ReadOnlyMemory<byte> bytes) => codec.Decode(bytes.Span).Event?.Type;

    /// <summary>Demo jobs as the client builds them: the version is the newest schema's, the params checked.</summary>
    private static async Task<List<ReadOnlyMemory<byte>>> DemoEventsAsync(CourierOptions options, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"courier-record-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            // The client needs a log for its producer; nothing is appended to it.
            await using var log = SqliteJobLog.Open(Path.Combine(scratch, "log.db"));
            using var telemetry = new CourierTelemetry();
            using var client = new CourierClient(log, options, telemetry, TimeProvider.System);
            var codec = new JobEventCodec(options);
            // Jobs that run plainly: no simulated failures, no degraded title.
            return DemoWorkload.Create(60, maxWorkMilliseconds: 0).Requests
                .Select(r => codec.Encode(client.BuildEvent(r)))
                .Where(b => Encoding.UTF8.GetString(b) is var json
                    && !json.Contains("\"simulate\"", StringComparison.Ordinal)
                    && !json.Contains("\"namespace\":-1", StringComparison.Ordinal))
                .Select(b => (ReadOnlyMemory<byte>)b)
                .ToList();
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory left behind is harmless.
            }
        }
    }

    /// <summary>A JSON array of events (each element's text, as written), or JSON lines (each line's bytes).</summary>
    internal static async Task<List<ReadOnlyMemory<byte>>> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--from-file {path}: {e.Message}", e);
        }
        var text = bytes.AsMemory();
        var start = 0;
        while (start < text.Length && text.Span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
        {
            start++;
        }
        if (start < text.Length && text.Span[start] == (byte)'[')
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                return doc.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e.GetRawText())).ToList();
            }
            catch (JsonException e)
            {
                throw new UsageException($"--from-file {path}: not a JSON array of events: {e.Message}", e);
            }
        }
        var events = new List<ReadOnlyMemory<byte>>();
        var lineStart = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i == bytes.Length || bytes[i] == (byte)'\n')
            {
                var line = text[lineStart..i];
                lineStart = i + 1;
                var trimmed = Encoding.UTF8.GetString(line.Span).Trim();
                if (trimmed.Length > 0)
                {
                    events.Add(Encoding.UTF8.GetBytes(trimmed));
                }
            }
        }
        return events;
    }
}
