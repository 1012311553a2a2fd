using System.Diagnostics.Metrics;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Tests.Telemetry;

/// <summary>
/// Label values that come from input (a job's type, a topic's name) are bounded on the Courier meter: known types
/// keep their name, up to 100 more that only a topic pattern rule matches too, and everything else is <c>unknown</c>.
/// The per-type gauges name every type the dispatcher knows (<c>courier.jobs.paused</c>: 1 paused, 0 running).
/// </summary>
public sealed class JobTypeLabelTests : IAsyncDisposable
{
    private const string Known = "knownType";
    private readonly TempDirectory _directory = new("labels");
    private readonly SqliteJobLog _log;
    private readonly CourierOptions _options = new();

    public JobTypeLabelTests() => _log = SqliteJobLog.Open(_directory.File("log.db"));

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Enqueued_NamesATypeWithARule_AndCountsAnUnregisteredTypeAsUnknown()
    {
        using var meters = new LabelCounter("courier.jobs.enqueued", "job.type");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry, new DispatcherOptions { Rules = { new JobRule { Type = Known } } });
        using var client = new CourierClient(_log, _options, telemetry, TimeProvider.System);

        await client.EnqueueBatchAsync([Job(Known), Job("attackerChosen-1"), Job("attackerChosen-2")], TestContext.Current.CancellationToken);

        Assert.Equal(new Dictionary<string, long> { [Known] = 1, ["unknown"] = 2 }, meters.Sums);
    }

    [Fact]
    public async Task Enqueued_NamesAtMost100TypesOnlyATopicPatternMatches_ThenCountsTheRestAsUnknown_WarningOnce()
    {
        using var meters = new LabelCounter("courier.jobs.enqueued", "job.type");
        using var logs = new LogCapture();
        using var telemetry = new CourierTelemetry(meters, logs);
        await using var dispatcher = NewDispatcher(telemetry, new DispatcherOptions
        {
            Rules = { new JobRule { Type = Known } },
            PatternRules = { new TopicPatternRule { Name = "patterned", Pattern = @"^mediawiki\.job\.patterned-" } },
        });
        using var client = new CourierClient(_log, _options, telemetry, TimeProvider.System);

        var patterned = Enumerable.Range(0, 105).Select(i => Job($"patterned-{i}")).ToList();
        await client.EnqueueBatchAsync([.. patterned, Job(Known), Job("unmatched")], TestContext.Current.CancellationToken);

        var sums = meters.Sums;
        Assert.Equal(100, sums.Keys.Count(k => k.StartsWith("patterned-", StringComparison.Ordinal)));
        Assert.Equal(1, sums[Known]);
        Assert.Equal(5 + 1, sums["unknown"]);
        Assert.Equal(107, sums.Values.Sum());
        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("patterned-100", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backlog_NamesTheDispatchersTopics_AndAtMost100Others_ThenSumsTheRestAsUnknown()
    {
        using var meters = new LabelCounter("courier.backlog", "messaging.destination.name");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry, new DispatcherOptions { Rules = { new JobRule { Type = Known } } });
        var knownTopic = _options.Topics.JobTopic(Known);
        var others = Enumerable.Range(0, 105).Select(i => _options.Topics.JobTopic($"created-by-intake-{i}"));
        telemetry.ObserveBacklog(() => others.Prepend(knownTopic)
            .Select(topic => new Measurement<long>(1, new KeyValuePair<string, object?>("messaging.destination.name", topic))));

        meters.Observe();

        var sums = meters.Sums;
        Assert.Equal(1, sums[knownTopic]);
        Assert.Equal(100, sums.Keys.Count(k => k.Contains("created-by-intake-", StringComparison.Ordinal)));
        Assert.Equal(5, sums["unknown"]);
    }

    [Fact]
    public async Task BreakerGauge_NamesEveryTypeWithABreaker_ClosedAsZero_AndNotATypeWhoseBreakerIsOff()
    {
        using var meters = new LabelCounter("courier.breaker.state", "job.type");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry,
            new DispatcherOptions { Rules = { new JobRule { Type = "alpha" }, new JobRule { Type = "beta", Breaker = BreakerPolicy.Off } } });

        meters.Observe();

        Assert.Equal(new Dictionary<string, long> { ["alpha"] = 0 }, meters.Sums);
    }

    [Fact]
    public async Task PausedGauge_NamesEveryKnownType_OneForAPausedType_AndZeroForTheOthers_UntilResumed()
    {
        using var meters = new LabelCounter("courier.jobs.paused", "job.type");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry,
            new DispatcherOptions { Rules = { new JobRule { Type = "alpha" }, new JobRule { Type = "beta" } } });

        dispatcher.Pause("alpha", "gauge test");
        meters.Observe();
        Assert.Equal(new Dictionary<string, long> { ["alpha"] = 1, ["beta"] = 0 }, meters.Sums);

        dispatcher.Resume("alpha");
        meters.Observe();
        // The counter adds the readings up: alpha read 1 then 0, beta 0 twice.
        Assert.Equal(new Dictionary<string, long> { ["alpha"] = 1, ["beta"] = 0 }, meters.Sums);
    }

    private Dispatcher NewDispatcher(CourierTelemetry telemetry, DispatcherOptions options) =>
        new(_log, new InProcessExecutor(new JobHandlerRegistry(_options)), options, _options, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);

    private static JobRequest Job(string type) => new() { Type = type, Database = "testwiki" };
}
