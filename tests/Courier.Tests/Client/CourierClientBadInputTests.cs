using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Client;

/// <summary>
/// The client column of docs/robustness.md's bad-input table: what <see cref="CourierClient"/> does with each kind of
/// bad input a caller can hand it (it takes .NET values, so some rows cannot happen there; the table says which).
/// Each refusal names the request field and appends nothing.
/// </summary>
public sealed class CourierClientBadInputTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("courier-client-bad-").FullName;
    private readonly CourierTelemetry _telemetry = new();
    private readonly CourierOptions _options = new();
    private readonly SqliteJobLog _log;
    private readonly CourierClient _client;

    public CourierClientBadInputTests()
    {
        _log = SqliteJobLog.Open(Path.Combine(_directory, "log.db"));
        _client = new CourierClient(_log, _options, _telemetry, new FakeTimeProvider(Now));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _telemetry.Dispose();
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Enqueue_RefusesADelayBeyondTheLimit_NamingIt_AndAppendsNothing()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "t", Database = "enwiki", DelayUntil = Now.AddDays(365) },
            new JobRequest { Type = "t", Database = "enwiki", DelayUntil = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) },
        ], Ct).AsTask());

        Assert.StartsWith("requests[1].delayUntil: 9999-12-31T00:00:00Z is ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" days away; the longest delay Courier holds is 366 days", e.Message, StringComparison.Ordinal);
        Assert.Empty(await TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("t")));
        Assert.Equal(Now.AddDays(365), _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", DelayUntil = Now.AddDays(365) }).DelayUntil);
    }

    [Fact]
    public async Task Enqueue_RefusesDuplicateKeysInParams_NamingTheKey()
    {
        var e = await Assert.ThrowsAsync<JobEncodingException>(() => _client.EnqueueAsync(
            new JobRequest { Type = "t", Database = "enwiki", Params = JsonElement.Parse("""{"a":{"b":1,"b":2}}""") }, Ct).AsTask());

        Assert.Equal("request.params.a.b: duplicate key", e.Message);
    }

    [Fact]
    public async Task Enqueue_RefusesParamsNestedDeeperThanTheCodecReads()
    {
        object nested = new Dictionary<string, object>();
        for (var i = 0; i < 100; i++)
        {
            nested = new Dictionary<string, object> { ["n"] = nested };
        }

        var e = await Assert.ThrowsAsync<JobEncodingException>(() =>
            _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = nested }, Ct).AsTask());

        Assert.StartsWith("request.params: cannot be serialized: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("depth", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A .NET string cannot hold bytes that are not UTF-8; the nearest thing, a lone surrogate, is replaced by U+FFFD
    /// when params are serialized (System.Text.Json's rule), so what is appended is always valid UTF-8 the codec reads.
    /// </summary>
    [Fact]
    public async Task Enqueue_ReplacesALoneSurrogate_WithTheReplacementCharacter()
    {
        var job = await _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = new { s = "a\ud800b" } }, Ct);

        var record = Assert.Single(await TopicReader.ReadAllAsync(_log, job.Position.Topic));
        var decoded = new JobEventCodec(_options).Decode(record.Value.Span);
        Assert.Null(decoded.Error);
        Assert.Equal("a\ufffdb", decoded.Event!.Params.GetProperty("s").GetString());
    }
}
