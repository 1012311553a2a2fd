using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>
/// What one request to <c>POST /v1/events</c> may cost, at the default limits (10 MiB body, 10,000 events): more
/// events than the limit are refused while the body is split, a batch of junk gets a bounded answer, and the 10 MB
/// pathological body (5,000,000 invalid entries) allocates a documented bound (docs/operations.md, "Limits").
/// </summary>
[Collection(IntakeMemoryCollection.Name)]
public sealed class IntakeLimitsTests : IAsyncLifetime
{
    /// <summary>The documented bound on what one request allocates: three times the body limit.</summary>
    private const long AllocationBound = 3L * CourierServerOptions.DefaultIntakeMaxBodyBytes;

    private readonly TempDirectory _dir = new();
    private TestServer _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await TestServer.StartAsync(_dir.Path, cancellationToken: Ct);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>A JSON array of <paramref name="count"/> <c>1</c>s: every entry an invalid event.</summary>
    private static byte[] Ones(int count)
    {
        var body = new byte[(count * 2) + 1];
        body.AsSpan().Fill((byte)',');
        body[0] = (byte)'[';
        for (var i = 1; i < body.Length; i += 2)
        {
            body[i] = (byte)'1';
        }
        body[^1] = (byte)']';
        return body;
    }

    private async Task<(HttpStatusCode Status, byte[] Body)> PostAsync(byte[] body, HttpClient? http = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await (http ?? _host.Http).PostAsync(new Uri("v1/events", UriKind.Relative), content, Ct);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Intake_Refuses10MBOfTinyInvalidEvents_WithASmallAnswer_AndBoundedAllocation()
    {
        var body = Ones(5_000_000);
        Assert.InRange(body.Length, 9_000_000, CourierServerOptions.DefaultIntakeMaxBodyBytes);
        await PostAsync(Ones(1)); // warm up: the first request's one-off costs (JIT, pools, the log) are not the request's

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, answer) = await PostAsync(body);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"the {body.Length}-byte request allocated {allocated} bytes; the answer is {answer.Length} bytes");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.InRange(answer.Length, 1, 1024);
        var error = JsonElement.Parse(answer).GetProperty("error").GetString();
        Assert.Contains("more than 10000 events", error, StringComparison.Ordinal);
        Assert.InRange(allocated, body.Length, AllocationBound);
    }

    [Fact]
    public async Task Intake_AnswersABatchOfJunk_WithEveryIndex_ButTheErrorOfTheFirst100Only_AndCountsByReason()
    {
        var (status, answer) = await PostAsync(Ones(10_000));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var root = JsonElement.Parse(answer);
        Assert.Equal(10_000, root.GetProperty("rejected").GetInt32());
        Assert.Equal(10_000, root.GetProperty("rejected_by_reason").GetProperty("malformed").GetInt32());
        Assert.Equal(9_900, root.GetProperty("errors_omitted").GetInt32());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 10_000), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(results, r => Assert.Equal("malformed", r.GetProperty("reason").GetString()));
        Assert.All(results.Take(100), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("error").GetString())));
        Assert.All(results.Skip(100), r => Assert.False(r.TryGetProperty("error", out _)));
        Assert.InRange(answer.Length, 1, 1024 * 1024);
    }

    [Fact]
    public async Task Intake_Answers413_OneEventAboveTheLimit_AndAppendsNothing()
    {
        var (status, answer) = await PostAsync(Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(IntakeEvent.RefreshLinks("Limit"), 10_001)) + "]"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var error = JsonElement.Parse(answer).GetProperty("error").GetString();
        Assert.Equal("the array holds more than 10000 events, the limit of one request: post them in several requests", error);
        Assert.Empty(await TopicReader.ReadAllAsync(_host.Server.Log, "mediawiki.job.refreshLinks"));
    }

    [Fact]
    public async Task TheIntakeSection_SetsTheEventAndBodyLimits()
    {
        var config = TestConfig.Load(_dir.Path, "intake:\n  max_events: 2\n  max_body_bytes: 1000\n");
        await using var configured = await TestServer.StartAsync(Path.Combine(_dir.Path, "configured"), config, cancellationToken: Ct);

        var (events, eventsAnswer) = await PostAsync(Ones(3), configured.Http);
        var (body, bodyAnswer) = await PostAsync(Ones(600), configured.Http);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, events);
        Assert.Contains("more than 2 events", Encoding.UTF8.GetString(eventsAnswer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, body);
        Assert.Contains("the limit is 1000", Encoding.UTF8.GetString(bodyAnswer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLimits_HoldForASingleEventObject_ThatCountsAsOneEvent()
    {
        var config = TestConfig.Load(_dir.Path, "intake:\n  max_events: 1\n  max_body_bytes: 1000\n");
        await using var configured = await TestServer.StartAsync(Path.Combine(_dir.Path, "configured"), config, cancellationToken: Ct);
        var small = IntakeEvent.RefreshLinks("Small");
        var large = IntakeEvent.RefreshLinks(new string('x', 1000));
        Assert.InRange(Encoding.UTF8.GetByteCount(small), 1, 1000);

        var (one, oneAnswer) = await PostAsync(Encoding.UTF8.GetBytes(small), configured.Http);
        var (two, twoAnswer) = await PostAsync(Encoding.UTF8.GetBytes("[" + small + "," + small + "]"), configured.Http);
        var (body, bodyAnswer) = await PostAsync(Encoding.UTF8.GetBytes(large), configured.Http);

        Assert.Equal(HttpStatusCode.Created, one);
        Assert.Equal(1, JsonElement.Parse(oneAnswer).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, two);
        Assert.Contains("more than 1 events", Encoding.UTF8.GetString(twoAnswer), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, body);
        Assert.Contains("the limit is 1000", Encoding.UTF8.GetString(bodyAnswer), StringComparison.Ordinal);
        Assert.Single(await TopicReader.ReadAllAsync(configured.Server.Log, "mediawiki.job.refreshLinks"));
    }
}
