using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Contracts;

/// <summary>The client checks params against the registry at enqueue, on the embedded SQLite log.</summary>
public sealed class CourierClientContractTests : IAsyncDisposable
{
    private readonly SchemaDirectory _schemas = new();
    private readonly TempDirectory _data = new("client-contracts");
    private readonly CountingJobLog _log;
    private readonly CourierTelemetry _telemetry = new();
    private CourierClient? _client;

    public CourierClientContractTests()
    {
        _log = new CountingJobLog(SqliteJobLog.Open(_data.File("log.db")));
        _schemas.Write("alpha", "1.0.0.json", SchemaDirectory.TestParamsSchema);
        // 1.1.0 adds an optional field: the newest version, which producers write by default.
        _schemas.Write("alpha", "1.1.0.json", SchemaDirectory.TestParamsSchema.Replace(
            "\"backpressure\": { \"type\": \"boolean\" }", "\"backpressure\": { \"type\": \"boolean\" }, \"priority\": { \"type\": \"integer\" }", StringComparison.Ordinal));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CourierClient Client(bool require = false, bool registry = true) =>
        _client = new CourierClient(_log,
            new CourierOptions { ParamsSchemas = registry ? _schemas.Load() : null, RequireParamsSchemas = require, RequireParamsVersion = require },
            _telemetry, TimeProvider.System);

    [Fact]
    public async Task Enqueue_FillsTheNewestParamsVersion_WhenTheRequestNamesNone()
    {
        var client = Client();

        var job = await client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = new TestParams("a") }, Ct);

        Assert.Equal("1.1.0", ReadEvent(job.Position).Meta.ParamsVersion);
    }

    [Fact]
    public async Task Enqueue_KeepsTheVersionTheRequestNames_AndChecksAgainstIt()
    {
        var client = Client();

        var job = await client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = new TestParams("a"), ParamsVersion = "1.0.0" }, Ct);
        Assert.Equal("1.0.0", ReadEvent(job.Position).Meta.ParamsVersion);

        // priority exists only from 1.1.0 on.
        var withPriority = JsonElement.Parse("""{"name": "a", "priority": 1}""");
        await client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = withPriority, ParamsVersion = "1.1.0" }, Ct);
        var e = await Assert.ThrowsAsync<JobContractException>(() =>
            client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = withPriority, ParamsVersion = "1.0.0" }, Ct).AsTask());
        Assert.Equal("request.params: alpha params do not match params schema 1.0.0: params.priority: additionalProperties: "
            + "not allowed: the schema has no such field and its content model is closed (additionalProperties: false)", e.Message);
    }

    [Fact]
    public async Task Enqueue_ThrowsNamingTypeVersionFieldAndRule_AndAppendsNothing()
    {
        var client = Client();

        var e = await Assert.ThrowsAsync<JobContractException>(() =>
            client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = JsonElement.Parse("""{"name": 5}""") }, Ct).AsTask());

        Assert.Equal("request.params: alpha params do not match params schema 1.1.0: params.name: type: Value is \"integer\" but should be \"string\"", e.Message);
        Assert.IsType<JobEncodingException>(e, exactMatch: false);
        Assert.Equal("alpha", e.JobType);
        Assert.Equal("1.1.0", e.ParamsVersion);
        Assert.Equal(ParamsCheckOutcome.Mismatch, e.Outcome);
        var violation = Assert.Single(e.Violations);
        Assert.Equal(("params.name", "type"), (violation.Path, violation.Rule));
        Assert.Equal(0, _log.ProduceCalls);
    }

    [Fact]
    public async Task EnqueueBatch_NamesTheRequest_AndAppendsNoneOfTheBatch()
    {
        var client = Client();
        JobRequest[] requests =
        [
            new() { Type = "alpha", Database = "enwiki", Params = new TestParams("fine") },
            new() { Type = "alpha", Database = "enwiki", Params = JsonElement.Parse("""{"failAttempts": 1}"""), Deduplicate = true },
        ];

        var e = await Assert.ThrowsAsync<JobContractException>(() => client.EnqueueBatchAsync(requests, Ct).AsTask());

        Assert.StartsWith("requests[1].params: alpha params do not match params schema 1.1.0: params.name: required", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _log.ProduceCalls);
    }

    [Fact]
    public async Task Enqueue_RefusesAVersionTheRegistryDoesNotHave()
    {
        var client = Client();

        var e = await Assert.ThrowsAsync<JobContractException>(() =>
            client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = new TestParams("a"), ParamsVersion = "2.0.0" }, Ct).AsTask());

        Assert.Equal(ParamsCheckOutcome.UnknownVersion, e.Outcome);
        Assert.StartsWith("request.paramsVersion: job type 'alpha' has no params schema version 2.0.0", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("known versions: 1.0.0, 1.1.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_TypeWithoutSchema_IsAllowedUnversioned_UnlessSchemasAreRequired()
    {
        var lenient = Client();
        var job = await lenient.EnqueueAsync(new JobRequest { Type = "beta", Database = "enwiki", Params = new { anything = true } }, Ct);
        Assert.Null(ReadEvent(job.Position).Meta.ParamsVersion);
        lenient.Dispose();

        var strict = Client(require: true);
        var e = await Assert.ThrowsAsync<JobContractException>(() =>
            strict.EnqueueAsync(new JobRequest { Type = "beta", Database = "enwiki", Params = new { anything = true } }, Ct).AsTask());
        Assert.Equal(ParamsCheckOutcome.NoSchema, e.Outcome);
        Assert.StartsWith("request.type: job type 'beta' has no params schema in ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(", and params schemas are required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enqueue_WithoutARegistry_ChecksNothing_AndWritesOnlyTheVersionTheRequestNames()
    {
        var client = Client(registry: false);

        var unversioned = await client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = JsonElement.Parse("""{"name": 5}""") }, Ct);
        var versioned = await client.EnqueueAsync(new JobRequest { Type = "alpha", Database = "enwiki", Params = new { x = 1 }, ParamsVersion = "7.0.0" }, Ct);

        Assert.Null(ReadEvent(unversioned.Position).Meta.ParamsVersion);
        Assert.Equal("7.0.0", ReadEvent(versioned.Position).Meta.ParamsVersion);
    }

    [Fact]
    public void BuildEvent_FillsTheVersion_AndChecksTheParams()
    {
        var client = Client();

        Assert.Equal("1.1.0", client.BuildEvent(new JobRequest { Type = "alpha", Database = "enwiki", Params = new TestParams("a") }).Meta.ParamsVersion);
        var e = Assert.Throws<JobContractException>(() => client.BuildEvent(new JobRequest { Type = "alpha", Database = "enwiki", Params = new { } }));
        Assert.StartsWith("request.params: alpha params do not match params schema 1.1.0: params.name: required", e.Message, StringComparison.Ordinal);
    }

    private JobEvent ReadEvent(TopicPartitionOffset position)
    {
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign([position]);
        var record = Consuming.Count(consumer, 1)[0];
        return new JobEventCodec(new CourierOptions()).Decode(record.Value.Span).Event!;
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _log.DisposeAsync();
        _telemetry.Dispose();
        _schemas.Dispose();
        _data.Dispose();
    }
}
