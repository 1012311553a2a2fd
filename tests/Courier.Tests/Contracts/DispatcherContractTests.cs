using System.Diagnostics.Metrics;
using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Contracts;

/// <summary>
/// The dispatcher checks each job's params against the schema of the version it names, before any handler runs: a
/// job that breaks its contract is dead-lettered once with class decode and the exact reason, never retried, and
/// counted in <c>courier.jobs.decode_failures</c> by reason.
/// </summary>
public sealed class DispatcherContractTests : IDisposable
{
    private const string Type = "alpha";
    private readonly SchemaDirectory _schemas = new();

    public DispatcherContractTests() => _schemas.Write(Type, "1.0.0.json", SchemaDirectory.TestParamsSchema);

    private static DispatcherOptions Options() => new()
    {
        GroupId = "contracts",
        CommitInterval = TimeSpan.FromMilliseconds(20),
        ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
        RetryTiers = { TimeSpan.FromMilliseconds(50) },
        Rules =
        {
            new JobRule
            {
                Type = Type,
                Timeout = TimeSpan.FromSeconds(10),
                Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(50), Factor = 2 },
            },
        },
    };

    private DispatcherHarness Harness(bool requireSchemas = false, bool requireVersion = false, ParamsSchemaRegistry? registry = null)
    {
        var directory = new TempDirectory("dispatcher-contracts");
        var options = new CourierOptions { ParamsSchemas = registry ?? _schemas.Load(), RequireParamsSchemas = requireSchemas, RequireParamsVersion = requireVersion };
        return new DispatcherHarness(SqliteJobLog.Open(directory.File("log.db")), options, Options(), cleanup: directory.Dispose);
    }

    /// <summary>A producer with no registry: it writes whatever it is given, as a release with other schemas would.</summary>
    private static async Task<EnqueuedJob> ProduceUncheckedAsync(DispatcherHarness h, object parameters, string? version)
    {
        using var telemetry = new CourierTelemetry();
        using var producer = new CourierClient(h.Log, new CourierOptions(), telemetry, TimeProvider.System);
        return await producer.EnqueueAsync(new JobRequest { Type = Type, Database = "testwiki", Params = parameters, ParamsVersion = version },
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Dispatcher_DeadLettersASchemaMismatch_AsDecode_WithTheFieldAndRule_NeverRetried()
    {
        await using var h = Harness();
        using var decodeFailures = new DecodeFailureListener(h.Telemetry);
        var good = await h.EnqueueAsync(Type, [new TestParams("fine")]);
        var bad = await ProduceUncheckedAsync(h, JsonElement.Parse("""{"name": "x", "page_title": "Special:"}"""), "1.0.0");
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal([good[0].Id], h.Executions.Select(e => e.Id));
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Decode, letter.Class);
        Assert.Equal(bad.Id, letter.JobId);
        Assert.Equal(1, letter.Attempts);
        Assert.Equal("alpha params do not match params schema 1.0.0: params.page_title: additionalProperties: "
            + "not allowed: the schema has no such field and its content model is closed (additionalProperties: false)", letter.Message);
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(0, stats.Retried);
        Assert.Equal(1, stats.DeadLettered);
        Assert.Equal([("alpha", "schema_mismatch")], decodeFailures.Seen);
    }

    [Fact]
    public async Task Dispatcher_DeadLettersAnUnknownVersion_AsDecode()
    {
        // The 2019 deploy: a newer release writes version 2 while this dispatcher knows only version 1.
        await using var h = Harness();
        using var decodeFailures = new DecodeFailureListener(h.Telemetry);
        var bad = await ProduceUncheckedAsync(h, new TestParams("v2"), "2.0.0");
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Empty(h.Executions);
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Decode, letter.Class);
        Assert.Equal(bad.Id, letter.JobId);
        Assert.StartsWith("job type 'alpha' has no params schema version 2.0.0 in ", letter.Message, StringComparison.Ordinal);
        Assert.EndsWith("; known versions: 1.0.0", letter.Message, StringComparison.Ordinal);
        Assert.Equal([("alpha", "unknown_version")], decodeFailures.Seen);
    }

    [Fact]
    public async Task Dispatcher_MissingVersion_IsDecodeWhenRequired_AndRunsWhenNot()
    {
        await using (var strict = Harness(requireSchemas: true, requireVersion: true))
        {
            using var decodeFailures = new DecodeFailureListener(strict.Telemetry);
            await ProduceUncheckedAsync(strict, new TestParams("legacy"), version: null);
            await strict.StartAsync();
            await strict.WaitIdleAsync();

            Assert.Empty(strict.Executions);
            var letter = Assert.Single(await strict.ReadDeadLettersAsync());
            Assert.Equal(FailureClass.Decode, letter.Class);
            Assert.StartsWith("meta.params_version is missing: job type 'alpha' has params schemas 1.0.0", letter.Message, StringComparison.Ordinal);
            Assert.Equal([("alpha", "missing_version")], decodeFailures.Seen);
        }

        // Schemas required, versions not: an unversioned job (a producer without schemas) runs unchecked.
        await using var lenient = Harness(requireSchemas: true, requireVersion: false);
        var legacy = await ProduceUncheckedAsync(lenient, new TestParams("legacy"), version: null);
        await lenient.StartAsync();
        await lenient.WaitIdleAsync();
        Assert.Equal([legacy.Id], lenient.Succeeded.Keys);
        Assert.Empty(await lenient.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Dispatcher_TypeWithoutSchema_IsDecodeWhenSchemasAreRequired()
    {
        using var other = new SchemaDirectory();
        other.Write("beta", "1.0.0.json", SchemaDirectory.TestParamsSchema);
        await using var h = Harness(requireSchemas: true, registry: other.Load());
        using var decodeFailures = new DecodeFailureListener(h.Telemetry);
        await ProduceUncheckedAsync(h, new TestParams("x"), "1.0.0");
        await h.StartAsync();
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(FailureClass.Decode, letter.Class);
        Assert.StartsWith("job type 'alpha' has no params schema in ", letter.Message, StringComparison.Ordinal);
        Assert.Equal([("alpha", "no_schema")], decodeFailures.Seen);
    }

    [Fact]
    public async Task Dispatcher_CountsMalformedRecords_AsDecodeFailuresOfTheirOwnReason()
    {
        await using var h = Harness();
        using var decodeFailures = new DecodeFailureListener(h.Telemetry);
        using (var producer = h.Log.CreateProducer())
        {
            await producer.ProduceAsync([new OutgoingRecord(h.JobTopic(Type), "testwiki", "not json"u8.ToArray())], TestContext.Current.CancellationToken);
        }
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(FailureClass.Decode, Assert.Single(await h.ReadDeadLettersAsync()).Class);
        Assert.Equal([("alpha", "malformed")], decodeFailures.Seen);
    }

    public void Dispose() => _schemas.Dispose();

    /// <summary>Records <c>courier.jobs.decode_failures</c> of one telemetry instance (other tests run their own in parallel).</summary>
    private sealed class DecodeFailureListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string, string)> _seen = [];

        public DecodeFailureListener(CourierTelemetry telemetry)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, telemetry.DecodeFailures.Instrument))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? type = null, reason = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "job.type")
                    {
                        type = tag.Value as string;
                    }
                    else if (tag.Key == "reason")
                    {
                        reason = tag.Value as string;
                    }
                }
                lock (_seen)
                {
                    for (var i = 0; i < value; i++)
                    {
                        _seen.Add((type ?? "?", reason ?? "?"));
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<(string Type, string Reason)> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
