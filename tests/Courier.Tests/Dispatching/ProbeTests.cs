using System.Text.Json;
using Courier.Contracts;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Probing;
using Courier.Testing;
using Courier.Tests.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Dispatching;

/// <summary>The probe parts that need no log: the start-time check, handler registration and the missing-probe clock.</summary>
public sealed class ProbeTests
{
    [Fact]
    public async Task Dispatcher_RefusesAtStart_AProbeWhoseParamsBreakTheTypesSchema()
    {
        using var directory = new TempDirectory("probe-schema");
        await using var log = SqliteJobLog.Open(directory.File("log.db"));
        var courier = new CourierOptions { ParamsSchemas = ParamsSchemaRegistry.Load(RepositoryRoot.SchemaDirectory) };
        var options = new DispatcherOptions { GroupId = "probe-check" };
        options.Rules.Add(new JobRule
        {
            Type = "massMessage",
            // The 2019 shape: the title as prefixed text, not (namespace, dbkey).
            Probe = new ProbeSpec { Params = JsonElement.Parse("""{"title":"User talk:Probe","recipient":"r","subject":"s","message":"m","sender":"x"}""") },
        });

        var e = Assert.Throws<ArgumentException>(() => new Dispatcher(log, new InProcessExecutor(new JobHandlerRegistry(courier)), options, courier,
            new CourierTelemetry(), NullLogger<Dispatcher>.Instance, TimeProvider.System));
        Assert.Contains("rule 'massMessage': probe.params would never pass the gate (schema_mismatch)", e.Message, StringComparison.Ordinal);
        Assert.Contains("title", e.Message, StringComparison.Ordinal);
        Assert.Equal("rules", e.ParamName);
    }

    [Fact]
    public async Task Registry_SkipsAProbe_AfterBindingIt_UnlessTheHandlerRunsProbes()
    {
        var courier = new CourierOptions();
        var ran = new List<(string Type, bool IsProbe)>();
        DelegateHandler<TestParams> Handler(string type) => new((_, context, _) =>
        {
            ran.Add((type, context.IsProbe));
            return ValueTask.FromResult(JobResult.Success);
        });
        var registry = new JobHandlerRegistry(courier)
            .Add("skipper", Handler("skipper"))
            .Add("runner", Handler("runner"), ProbeHandling.Run);

        Assert.True((await registry.InvokeAsync(Execution("skipper", """{"name":"p"}""", probe: true), TestContext.Current.CancellationToken)).IsSuccess);
        Assert.True((await registry.InvokeAsync(Execution("runner", """{"name":"p"}""", probe: true), TestContext.Current.CancellationToken)).IsSuccess);
        var unbindable = await registry.InvokeAsync(Execution("skipper", """{"name":12}""", probe: true), TestContext.Current.CancellationToken);
        Assert.Equal(FailureClass.Decode, unbindable.Failure); // a skipped probe still proves its params bind
        Assert.Equal([("runner", true)], ran);
    }

    [Fact]
    public void Book_MarksAProbeMissing_AfterThreeIntervalsWithoutAResult()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var book = new ProbeBook(new Dictionary<string, TimeSpan> { ["alpha"] = TimeSpan.FromSeconds(20) }, time);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(book.Snapshot().Single().Missing);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(book.Snapshot().Single().Missing);

        book.Observe(new OutcomeSample("alpha", "probe_failed", FailureClass.Decode, "bad", "r2", IsProbe: true, time.GetUtcNow()));
        book.Observe(new OutcomeSample("alpha", "succeeded", null, null, "r2", IsProbe: false, time.GetUtcNow())); // not a probe
        var status = book.Snapshot().Single();
        Assert.False(status.Missing);
        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.Equal(("bad", "r2"), (status.LastFailureMessage, status.LastFailureRelease));
        Assert.Null(status.LastSuccess);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(book.Snapshot().Single().Missing);
    }

    private static JobExecution Execution(string type, string paramsJson, bool probe) => new()
    {
        Event = new JobEvent
        {
            Meta = new JobMeta { Id = "probe-1", Dt = DateTimeOffset.UnixEpoch },
            Database = "testwiki",
            Type = type,
            Params = JsonElement.Parse(paramsJson),
        },
        RawEvent = ReadOnlyMemory<byte>.Empty,
        Context = new JobContext { Attempt = 1, Topic = type, Source = new TopicPartitionOffset(type, 0, 0), Timeout = TimeSpan.FromSeconds(1), IsProbe = probe },
    };
}
