using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Client;

public sealed class CourierClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2019, 4, 17, 10, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("courier-client-").FullName;
    private readonly CourierTelemetry _telemetry = new();
    private readonly CourierOptions _options = new() { ProducerName = "tests", ProducerVersion = "1.2.3" };
    private readonly SqliteJobLog _log;
    private readonly CourierClient _client;

    public CourierClientTests()
    {
        _log = SqliteJobLog.Open(Path.Combine(_directory, "log.db"));
        _client = new CourierClient(_log, _options, _telemetry, new FakeTimeProvider(Now));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _telemetry.Dispose();
        await _log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void BuildEvent_FillsMetaFromTheRequestTheClockAndTheOptions()
    {
        var jobEvent = _client.BuildEvent(new JobRequest { Type = "refreshLinks", Database = "enwiki", ParamsVersion = "3" });

        Assert.Equal("/mediawiki/job/1.0.0", jobEvent.Schema);
        Assert.True(Guid.TryParseExact(jobEvent.Meta.Id, "D", out var id));
        Assert.Equal(7, id.Version);
        Assert.Equal(Now, jobEvent.Meta.Dt);
        Assert.Equal("mediawiki.job.refreshLinks", jobEvent.Meta.Stream);
        Assert.Equal("enwiki", jobEvent.Meta.Domain);
        Assert.False(string.IsNullOrEmpty(jobEvent.Meta.RequestId));
        Assert.Equal(new ProducerInfo("tests", "1.2.3"), jobEvent.Meta.Producer);
        Assert.Equal("3", jobEvent.Meta.ParamsVersion);
        Assert.Equal("{}", jobEvent.Params.GetRawText());
        Assert.Null(jobEvent.Sha1);
    }

    [Fact]
    public void BuildEvent_UsesTopicPrefixFromOptions()
    {
        _options.Topics.JobTopicPrefix = "eqiad.mediawiki.job.";
        using var client = new CourierClient(_log, _options, _telemetry, TimeProvider.System);

        Assert.Equal("eqiad.mediawiki.job.cdnPurge", client.BuildEvent(new JobRequest { Type = "cdnPurge", Database = "enwiki" }).Meta.Stream);
    }

    [Fact]
    public void BuildEvent_SerializesParamsCamelCase_AndTakesJsonElementsAsTheyAre()
    {
        var fromObject = _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Params = new { PageTitle = "A", Namespace = 4 } });
        using var document = JsonDocument.Parse("""{"Keep":"Case"}""");
        var fromDocument = _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Params = document });
        var fromElement = _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Params = document.RootElement });

        Assert.Equal("""{"pageTitle":"A","namespace":4}""", fromObject.Params.GetRawText());
        Assert.Equal("""{"Keep":"Case"}""", fromDocument.Params.GetRawText());
        Assert.Equal("""{"Keep":"Case"}""", fromElement.Params.GetRawText());
    }

    [Fact]
    public void BuildEvent_ParamsStayValid_AfterTheCallersDocumentIsDisposed()
    {
        var document = JsonDocument.Parse("""{"a":1}""");
        var jobEvent = _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Params = document.RootElement });
        document.Dispose();

        Assert.Equal(1, jobEvent.Params.GetProperty("a").GetInt32());
    }

    [Fact]
    public void BuildEvent_NormalisesAnExplicitId()
    {
        var jobEvent = _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Id = "{0196A3B2-7C1E-7D4A-9F2B-3C4D5E6F7A8B}" });

        Assert.Equal("0196a3b2-7c1e-7d4a-9f2b-3c4d5e6f7a8b", jobEvent.Meta.Id);
    }

    [Theory]
    [InlineData("", "enwiki", null, "request.type: must not be empty (Parameter 'request')")]
    [InlineData("refresh links", "enwiki", null, "request.type: must not contain whitespace or control characters, got 'refresh links' (Parameter 'request')")]
    [InlineData("t", "", null, "request.database: must not be empty (Parameter 'request')")]
    [InlineData("t", "enwiki", "job-1", "request.id: must be a UUID, got 'job-1' (Parameter 'request')")]
    public void BuildEvent_NamesTheInvalidField(string type, string database, string? id, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => _client.BuildEvent(new JobRequest { Type = type, Database = database, Id = id }));

        Assert.Equal(expected, e.Message);
    }

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void BuildEvent_RefusesParamsThatAreNotAnObject(string json, string kind)
    {
        var e = Assert.Throws<JobEncodingException>(() =>
            _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", Params = JsonElement.Parse(json) }));

        Assert.Equal($"request.params: must be a JSON object, got {kind}", e.Message);
    }

    [Fact]
    public async Task Enqueue_RefusesParamsThatSerializeToSomethingElse()
    {
        var e = await Assert.ThrowsAsync<JobEncodingException>(() =>
            _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = "just a string" }, TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("request.params: must be a JSON object, got string", e.Message);
    }

    [Fact]
    public async Task Enqueue_ReportsParamsThatCannotBeSerialized()
    {
        var cyclic = new Node();
        cyclic.Next = cyclic;

        var e = await Assert.ThrowsAsync<JobEncodingException>(() =>
            _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = cyclic }, TestContext.Current.CancellationToken).AsTask());

        Assert.StartsWith("request.params: cannot be serialized: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueBatch_NamesTheIndexOfTheInvalidRequest()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "t", Database = "enwiki" },
            new JobRequest { Type = "t", Database = "" },
        ], TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("requests[1].database: must not be empty (Parameter 'requests')", e.Message);
    }

    [Fact]
    public void Sha1_IsLowercaseHexOfCanonicalTypeAndParams()
    {
        var jobEvent = _client.BuildEvent(new JobRequest
        {
            Type = "refreshLinks",
            Database = "enwiki",
            Deduplicate = true,
            Params = JsonElement.Parse("""{"b":1,"a":{"d":[2,{"z":1,"y":"é"}],"c":3},"requestId":"r","rootJobSignature":"s","rootJobTimestamp":"20190417100000","jobReleaseTimestamp":1555495322}"""),
        });

        // Keys sorted at every depth, array order kept, root/release/request keys of params dropped.
        var canonical = """{"params":{"a":{"c":3,"d":[2,{"y":"é","z":1}]},"b":1},"type":"refreshLinks"}""";
#pragma warning disable CA5350 // The mediawiki/job dedup key is defined as SHA-1; this recomputes it independently.
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(canonical))), jobEvent.Sha1);
#pragma warning restore CA5350
    }

    [Fact]
    public void Sha1_IsTheSame_WhateverTheKeyOrderAndRootOrRequestKeys()
    {
        var first = Sha1Of("""{"title":"A","namespace":0,"opts":{"x":1,"y":[1,2]}}""");
        var reordered = Sha1Of("""{"opts":{"y":[1,2],"x":1},"namespace":0,"title":"A"}""");
        var withRootAndRequest = Sha1Of("""{"namespace":0,"requestId":"other","title":"A","rootJobSignature":"x","rootJobTimestamp":"t","jobReleaseTimestamp":5,"opts":{"x":1,"y":[1,2]}}""");
        var escaped = Sha1Of("""{"title":"\u0041","namespace":0,"opts":{"x":1,"y":[1,2]}}""");

        Assert.Equal(first, reordered);
        Assert.Equal(first, withRootAndRequest);
        Assert.Equal(first, escaped);
    }

    [Fact]
    public void Sha1_Differs_WhenTypeOrAParamOrArrayOrderDiffers()
    {
        var baseline = Sha1Of("""{"title":"A","list":[1,2]}""");

        Assert.NotEqual(baseline, Sha1Of("""{"title":"B","list":[1,2]}"""));
        Assert.NotEqual(baseline, Sha1Of("""{"title":"A","list":[2,1]}"""));
        Assert.NotEqual(baseline, Sha1Of("""{"title":"A","list":[1,2]}""", type: "other"));
        // Only top-level root/request keys are the original's bookkeeping; nested ones are data.
        Assert.NotEqual(baseline, Sha1Of("""{"title":"A","list":[1,2],"nested":{"requestId":"x"}}"""));
    }

    // Bad input the client is handed (docs/robustness.md, the client column): each refusal names the request field
    // and appends nothing. The clock is Now (2019-04-17).

    [Fact]
    public async Task Enqueue_RefusesADelayBeyondTheLimit_NamingIt_AndAppendsNothing()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => _client.EnqueueBatchAsync(
        [
            new JobRequest { Type = "t", Database = "enwiki", DelayUntil = Now.AddDays(365) },
            new JobRequest { Type = "t", Database = "enwiki", DelayUntil = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) },
        ], TestContext.Current.CancellationToken).AsTask());

        Assert.StartsWith("requests[1].delayUntil: 9999-12-31T00:00:00Z is ", e.Message, StringComparison.Ordinal);
        Assert.Contains(" days away; the longest delay Courier holds is 366 days", e.Message, StringComparison.Ordinal);
        Assert.Empty(await Courier.Testing.TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("t")));
        Assert.Equal(Now.AddDays(365), _client.BuildEvent(new JobRequest { Type = "t", Database = "enwiki", DelayUntil = Now.AddDays(365) }).DelayUntil);
    }

    [Fact]
    public async Task Enqueue_RefusesDuplicateKeysInParams_NamingTheKey()
    {
        var e = await Assert.ThrowsAsync<JobEncodingException>(() => _client.EnqueueAsync(
            new JobRequest { Type = "t", Database = "enwiki", Params = JsonElement.Parse("""{"a":{"b":1,"b":2}}""") }, TestContext.Current.CancellationToken).AsTask());

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
            _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = nested }, TestContext.Current.CancellationToken).AsTask());

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
        var job = await _client.EnqueueAsync(new JobRequest { Type = "t", Database = "enwiki", Params = new { s = "a\ud800b" } }, TestContext.Current.CancellationToken);

        var record = Assert.Single(await Courier.Testing.TopicReader.ReadAllAsync(_log, job.Position.Topic));
        var decoded = new JobEventCodec(_options).Decode(record.Value.Span);
        Assert.Null(decoded.Error);
        Assert.Equal("a\ufffdb", decoded.Event!.Params.GetProperty("s").GetString());
    }

    private string? Sha1Of(string json, string type = "refreshLinks") =>
        _client.BuildEvent(new JobRequest { Type = type, Database = "enwiki", Deduplicate = true, Params = JsonElement.Parse(json) }).Sha1;

    private sealed class Node
    {
        public Node? Next { get; set; }
    }
}
