using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// <c>POST /v1/events</c> over real HTTP on loopback, on the demo server (demo schemas, types without a schema refused):
/// 201 when every event is accepted, 207 with per-event results when some are, 400 when none are or the body is neither
/// a job event object nor a JSON array of them; accepted events are in the log, byte for byte, before the answer.
/// </summary>
public sealed class IntakeEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestServer _host = null!;

    private CourierServer Service => _host.Server;

    private HttpClient Client => _host.Http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _host = await TestServer.StartAsync(_dir.Path, intakeMaxBodyBytes: 64 * 1024, cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    private static string Event(string type, object parameters, string? version = "1.0.0", string? id = null) =>
        IntakeEvent.Json(type, parameters, version, id);

    private static RefreshLinksParams Refresh(string page) => IntakeEvent.Refresh(page);

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Client.PostAsync(new Uri("v1/events", UriKind.Relative), content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonElement.Parse(text));
    }

    private async Task<LogRecord> ReadAsync(JsonElement result)
    {
        var position = new TopicPartitionOffset(result.GetProperty("topic").GetString()!, result.GetProperty("partition").GetInt32(), result.GetProperty("offset").GetInt64());
        var records = await TopicReader.ReadAllAsync(Service.Log, position.Topic);
        return Assert.Single(records, r => r.Position == position);
    }

    [Fact]
    public async Task Intake_Answers201_AndTheEventsAreInTheLogAsPosted()
    {
        var massMessage = Event(DemoJobTypes.MassMessage, DemoJobs.Message(new PageTitle(3, "Intake")));
        // Unversioned: a producer without schemas (MediaWiki) names none; accepted unchecked.
        var refresh = Event(DemoJobTypes.RefreshLinks, Refresh("Intake"), version: null);

        var (status, body) = await PostAsync($"[\n  {massMessage},\n  {refresh}\n]");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal([0, 1], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("mediawiki.job.massMessage", results[0].GetProperty("topic").GetString());
        Assert.Equal("mediawiki.job.refreshLinks", results[1].GetProperty("topic").GetString());

        var first = await ReadAsync(results[0]);
        Assert.Equal(massMessage, Encoding.UTF8.GetString(first.Value.Span));
        Assert.Equal("enwiki", first.Key);
        Assert.Equal(refresh, Encoding.UTF8.GetString((await ReadAsync(results[1])).Value.Span));
        // And the dispatcher runs them: the message reaches its inbox.
        await Eventually.TrueAsync(async () => (await Service.Services.GetRequiredService<DemoInbox>().ReadAllAsync(Ct)).Count == 1, "the accepted job reached the demo inbox", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Intake_CarriesThePostersTraceContext_IntoTheRecords_AndDropsAnInvalidOne()
    {
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = Event(DemoJobTypes.RefreshLinks, Refresh("Traced"), version: null);
        var forged = Event(DemoJobTypes.RefreshLinks, Refresh("Forged"), version: null);

        var tracedRecord = await ReadAsync(await PostTracedAsync(traced, traceparent, "vendor=1"));
        var forgedRecord = await ReadAsync(await PostTracedAsync(forged, "00-not-a-trace-context-01", null));

        Assert.Equal(traceparent, Encoding.UTF8.GetString(tracedRecord.GetHeader("traceparent")!));
        Assert.Equal("vendor=1", Encoding.UTF8.GetString(tracedRecord.GetHeader("tracestate")!));
        Assert.Null(forgedRecord.GetHeader("traceparent"));
    }

    private async Task<JsonElement> PostTracedAsync(string body, string traceparent, string? tracestate)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/events", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        if (tracestate is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", tracestate);
        }
        using var response = await Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = JsonElement.Parse(await response.Content.ReadAsStringAsync(Ct));
        return answer.GetProperty("results")[0];
    }

    [Fact]
    public async Task Intake_Answers207_WithTheErrorOfEachRejectedEvent_AndAppendsOnlyTheAccepted()
    {
        var goodId = Guid.NewGuid().ToString();
        string[] events =
        [
            Event(DemoJobTypes.RefreshLinks, Refresh("Good"), id: goodId),
            // The 2019 shape: the title as text, its namespace gone.
            Event(DemoJobTypes.MassMessage, new { title = "User_talk:Example", recipient = "Example", subject = "s", message = "m", sender = "x" }),
            Event(DemoJobTypes.RefreshLinks, Refresh("Newer"), version: "2.0.0"),
            Event("nosuchType", new { a = 1 }),
            """{"type": "refreshLinks", "meta": {"id": "not-decodable"}}""",
            "42",
        ];

        var (status, body) = await PostAsync("[" + string.Join(",", events) + "]");

        Assert.Equal(HttpStatusCode.MultiStatus, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(5, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "rejected", "rejected"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(goodId, results[0].GetProperty("id").GetString());
        Assert.All(results.Skip(1), r => Assert.Equal("decode", r.GetProperty("error_class").GetString()));
        Assert.Equal(["schema_mismatch", "unknown_version", "no_schema", "malformed", "malformed"], results.Skip(1).Select(r => r.GetProperty("reason").GetString()));
        Assert.StartsWith("massMessage params do not match params schema 1.0.0: params.title: type:", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("job type 'refreshLinks' has no params schema version 2.0.0", results[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("job type 'nosuchType' has no params schema", results[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("not-decodable", results[4].GetProperty("id").GetString());
        Assert.Contains("$.meta.dt", results[4].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, results[5].GetProperty("id").ValueKind);

        Assert.Equal(goodId, new JobEventCodec(new CourierOptions()).Decode((await ReadAsync(results[0])).Value.Span).Event!.Meta.Id);
        Assert.Empty(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.nosuchType"));
        Assert.Single(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.refreshLinks"));
        Assert.Empty(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.massMessage"));
    }

    [Fact]
    public async Task Intake_Answers400_WhenNoEventIsAccepted()
    {
        var (status, body) = await PostAsync("[" + Event(DemoJobTypes.RefreshLinks, new { title = new { @namespace = 0 } }) + "]");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        var result = Assert.Single(body.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal("refreshLinks params do not match params schema 1.0.0: params.title.dbkey: required: missing (the schema requires it)",
            result.GetProperty("error").GetString());
        Assert.Empty(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.refreshLinks"));
    }

    [Fact]
    public async Task Intake_TakesASingleEventObject_AsOneEvent_WithTheSameResultsDocument()
    {
        var id = Guid.NewGuid().ToString();
        var refresh = Event(DemoJobTypes.RefreshLinks, Refresh("Single"), id: id);

        // Whitespace around the object is not part of the event: what is appended is the object's own bytes.
        var (status, body) = await PostAsync($"\n  {refresh}\n");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetInt32());
        Assert.Equal(0, body.GetProperty("errors_omitted").GetInt32());
        var result = Assert.Single(body.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal(0, result.GetProperty("index").GetInt32());
        Assert.Equal(id, result.GetProperty("id").GetString());
        Assert.Equal("accepted", result.GetProperty("status").GetString());
        Assert.Equal("mediawiki.job.refreshLinks", result.GetProperty("topic").GetString());
        var record = await ReadAsync(result);
        Assert.Equal(refresh, Encoding.UTF8.GetString(record.Value.Span));
        Assert.Equal("enwiki", record.Key);
    }

    [Fact]
    public async Task Intake_ChecksASingleEventObject_LikeAnEventOfAnArray_AndAnswers400WithItsResult()
    {
        var (status, body) = await PostAsync(Event(DemoJobTypes.RefreshLinks, new { title = new { @namespace = 0 } }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected_by_reason").GetProperty("schema_mismatch").GetInt32());
        var result = Assert.Single(body.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal(0, result.GetProperty("index").GetInt32());
        Assert.Equal("schema_mismatch", result.GetProperty("reason").GetString());
        Assert.Equal("refreshLinks params do not match params schema 1.0.0: params.title.dbkey: required: missing (the schema requires it)",
            result.GetProperty("error").GetString());
        Assert.Empty(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.refreshLinks"));

        // An object that is not a job event is one malformed event, as it would be inside an array.
        var (junkStatus, junk) = await PostAsync("{\"type\": \"refreshLinks\"}");
        Assert.Equal(HttpStatusCode.BadRequest, junkStatus);
        Assert.Equal("malformed", Assert.Single(junk.GetProperty("results").EnumerateArray().ToList()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("[]", "the array holds no events")]
    [InlineData("", "the body is empty: post a job event or a JSON array of job events")]
    [InlineData("  \r\n", "the body is empty: post a job event or a JSON array of job events")]
    [InlineData("[{\"a\": 1}", "the body is not valid JSON")]
    [InlineData("{\"a\": 1", "the body is not valid JSON")]
    [InlineData("[{}] []", "the body has more after the array")]
    [InlineData("{} {}", "the body has more after the object")]
    [InlineData("{}, {}", "the body has more after the object")]
    [InlineData("\"events\"", "the body must be a job event (a JSON object) or a JSON array of job events, got a string")]
    [InlineData("42", "the body must be a job event (a JSON object) or a JSON array of job events, got a number")]
    [InlineData("true", "the body must be a job event (a JSON object) or a JSON array of job events, got a boolean")]
    [InlineData("null", "the body must be a job event (a JSON object) or a JSON array of job events, got null")]
    public async Task Intake_Answers400_WhenTheBodyIsNotAJsonArrayOfEvents(string body, string error)
    {
        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, answer.GetProperty("status").GetInt32());
        Assert.StartsWith(error, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    [InlineData("application/json; charset=UTF8")]
    public async Task Intake_AcceptsUtf8Json_CharsetQuotedOrNot(string contentType)
    {
        var (status, body) = await PostAsync("[" + Event(DemoJobTypes.RefreshLinks, Refresh("Charset")) + "]", contentType);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Intake_Answers415_ForAnotherContentType()
    {
        foreach (var contentType in new[] { "text/plain", "application/json; charset=\"latin1\"", "application/json; charset=utf-16" })
        {
            var (status, answer) = await PostAsync("[]", contentType);

            Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
            Assert.Contains("is not application/json", answer.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Intake_Answers413_AboveItsBodyLimit_DeclaredOrStreamed()
    {
        var large = "[" + string.Join(",", Enumerable.Repeat(Event(DemoJobTypes.RefreshLinks, Refresh("Large")), 200)) + "]";
        Assert.True(Encoding.UTF8.GetByteCount(large) > 64 * 1024);

        var (declared, answer) = await PostAsync(large);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
        Assert.StartsWith("body is ", answer.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Without Content-Length (chunked), the limit holds as the body is read.
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/events", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await TopicReader.ReadAllAsync(Service.Log, "mediawiki.job.refreshLinks"));
    }

    [Fact]
    public async Task Intake_CountsEventsByOutcome_InMetrics()
    {
        await PostAsync("[" + Event(DemoJobTypes.RefreshLinks, Refresh("M")) + "," + Event(DemoJobTypes.RefreshLinks, new { }) + "]");

        var metrics = "";
        await Eventually.TrueAsync(async () =>
        {
            metrics = await Client.GetStringAsync(new Uri("metrics", UriKind.Relative), Ct);
            return metrics.Contains("courier_intake_events_total", StringComparison.Ordinal);
        }, "the intake counter was on /metrics", TimeSpan.FromSeconds(20));
        var lines = metrics.Split('\n').Where(l => l.StartsWith("courier_intake_events_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("outcome=\"accepted\"", StringComparison.Ordinal) && l.Contains("job_type=\"refreshLinks\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("outcome=\"rejected\"", StringComparison.Ordinal) && l.Contains("reason=\"schema_mismatch\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Intake_IsPostOnly()
    {
        using var response = await Client.GetAsync(new Uri("v1/events", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
