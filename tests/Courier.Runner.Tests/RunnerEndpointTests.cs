using System.Net;
using System.Text;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>The runner's answers over real HTTP: success and each status of the protocol table (docs/runners.md).</summary>
public sealed class RunnerEndpointTests
{
    [Fact]
    public async Task Runner_Answers200WithTheExecutionLimit_WhenTheHandlerSucceeds()
    {
        await using var runner = await TestRunner.StartAsync(o => o.ExecutionLimit = TimeSpan.FromSeconds(42));
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.Event("ok", id), attempt: 3, timeoutMs: 90_000);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("42000", Assert.Single(response.Headers.GetValues(RunnerProtocol.ExecutionLimitHeader)));
        var (job, context) = Assert.Single(runner.Handler.Calls);
        Assert.Equal(id, job.Id);
        Assert.Equal("ok", job.Params.Mode);
        Assert.Equal(3, context.Attempt);
        Assert.Equal("mediawiki.job." + TestJobs.Type, context.Topic);
        Assert.Equal(new TopicPartitionOffset("mediawiki.job." + TestJobs.Type, -1, -1), context.Source);
        Assert.Equal(TimeSpan.FromSeconds(42), context.Timeout);
    }

    [Fact]
    public async Task Runner_GivesTheHandlerTheDispatchersTimeout_WhenItIsShorterThanTheExecutionLimit()
    {
        await using var runner = await TestRunner.StartAsync(o => o.ExecutionLimit = TimeSpan.FromSeconds(42));

        using var response = await runner.PostAsync(TestJobs.Event("ok"), attempt: null, timeoutMs: 1500);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, context) = Assert.Single(runner.Handler.Calls);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), context.Timeout);
        Assert.Equal(1, context.Attempt); // no Courier-Attempt header: the first attempt
    }

    [Theory]
    [InlineData("{not json", "")]
    [InlineData("""{"meta":{"dt":"2024-01-01T00:00:00Z"},"database":"w","type":"testJob","params":{}}""", "$.meta.id")]
    [InlineData("""{"meta":{"id":"x","dt":"2024-01-01T00:00:00Z"},"database":"w","params":{}}""", "$.type")]
    [InlineData("""{"meta":{"id":"x","dt":"2024-01-01T00:00:00Z"},"database":"w","type":"testJob","params":"a"}""", "$.params")]
    public async Task Runner_Answers400Decode_WithTheCodecsReason_WhenTheBodyIsNotAJobEvent(string body, string pathInMessage)
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(Encoding.UTF8.GetBytes(body));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.Contains(pathInMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(new JobEventCodec(new CourierOptions()).Decode(Encoding.UTF8.GetBytes(body)).Error, error.Message);
        Assert.Empty(runner.Handler.Calls);
        var log = Assert.Single(runner.Logs.Of(4004));
        Assert.Equal(LogLevel.Error, log.Level);
    }

    [Fact]
    public async Task Runner_Answers400Decode_WhenParamsDoNotBind()
    {
        await using var runner = await TestRunner.StartAsync();
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.EventWithParams("""{"mode":17}""", id));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.StartsWith("params do not bind to TestParams", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
        var log = Assert.Single(runner.Logs.Of(4005));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
        Assert.Equal(TestJobs.Type, log.Values["JobType"]);
        Assert.Equal("decode", log.Values["FailureClass"]);
    }

    [Fact]
    public async Task Runner_Answers400Decode_WhenTheHandlerSaysTheJobIsUndecodable()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("undecodable", message: "Title Special: is invalid"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.Equal("Title Special: is invalid", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    public async Task Runner_Answers400Decode_WhenTheAttemptHeaderIsNotAPositiveInteger(string attempt)
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"), attempt: attempt);

        using var response = await runner.SendAsync(request);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.Contains(RunnerProtocol.AttemptHeader, error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
    }

    [Fact]
    public async Task Runner_Answers404Decode_WhenNoHandlerServesTheType()
    {
        await using var runner = await TestRunner.StartAsync();
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.Event("ok", id, type: "someOtherType"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.NotFound, "decode");
        Assert.Contains("someOtherType", error.Message, StringComparison.Ordinal);
        var log = Assert.Single(runner.Logs.Of(4005));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Runner_Answers405WithAllowPost_ForOtherMethods(string method)
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.SendAsync(new HttpRequestMessage(new HttpMethod(method), RunnerProtocol.DefaultPath));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.MethodNotAllowed, "permanent");
        Assert.Contains(method, error.Message, StringComparison.Ordinal);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal(LogLevel.Warning, Assert.Single(runner.Logs.Of(4002)).Level);
    }

    [Fact]
    public async Task Runner_Answers413Decode_WhenTheDeclaredLengthIsOverTheLimit()
    {
        await using var runner = await TestRunner.StartAsync(o => o.MaxBodyBytes = 1024);

        using var response = await runner.PostAsync(TestJobs.Event("ok", message: new string('x', 2000)));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge, "decode");
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
        Assert.Equal(LogLevel.Error, Assert.Single(runner.Logs.Of(4004)).Level);
    }

    [Fact]
    public async Task Runner_Answers413Decode_WhenAChunkedBodyGrowsOverTheLimit()
    {
        await using var runner = await TestRunner.StartAsync(o => o.MaxBodyBytes = 1024);
        var body = TestJobs.Event("ok", message: new string('x', 3000));
        // Signed, since signing headers are checked before the body. A stream of unknown length is sent chunked: no
        // Content-Length for the runner to check first.
        var request = runner.Request(body);
        request.Content = new StreamContent(new UnknownLengthStream(body));
        request.Content.Headers.ContentType = new("application/json");

        Assert.Null(request.Content.Headers.ContentLength);

        using var response = await runner.SendAsync(request);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge, "decode");
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_AcceptsABodyOfExactlyTheLimit()
    {
        var body = TestJobs.Event("ok");
        await using var runner = await TestRunner.StartAsync(o => o.MaxBodyBytes = body.Length);

        using var response = await runner.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=\"utf-16\"")]
    public async Task Runner_Answers415_ForOtherContentTypes(string contentType)
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("ok"), contentType: contentType);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.UnsupportedMediaType, "permanent");
        Assert.Contains(contentType, error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
        Assert.Equal(LogLevel.Warning, Assert.Single(runner.Logs.Of(4002)).Level);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("Application/JSON; charset=\"UTF8\"")]
    public async Task Runner_AcceptsJsonWithAUtf8Charset_QuotedOrNot(string contentType)
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("ok"), contentType: contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("permanent")]
    [InlineData("throw-permanent")]
    public async Task Runner_Answers422Permanent_WhenTheHandlerSaysTheJobCanNeverSucceed(string mode)
    {
        await using var runner = await TestRunner.StartAsync();
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.Event(mode, id, message: "page was deleted"), attempt: 2);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.UnprocessableEntity, "permanent");
        Assert.Equal("page was deleted", error.Message);
        var log = Assert.Single(runner.Logs.Of(4007));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
        Assert.Equal(2, log.Values["Attempt"]);
        Assert.Equal("permanent", log.Values["FailureClass"]);
    }

    [Fact]
    public async Task Runner_Answers500RetryableWithTheException_WhenTheHandlerThrows()
    {
        await using var runner = await TestRunner.StartAsync();
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.Event("throw", id, message: "database went away"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.InternalServerError, "retryable");
        Assert.Equal("InvalidOperationException: database went away", error.Message);
        var log = Assert.Single(runner.Logs.Of(4007));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
        Assert.Equal(TestJobs.Type, log.Values["JobType"]);
        Assert.Equal("retryable", log.Values["FailureClass"]);
        Assert.IsType<InvalidOperationException>(log.Exception); // the stack trace stays on the runner, in its log
    }

    [Fact]
    public async Task Runner_Answers500Retryable_WhenTheHandlerAsksForARetry()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("retry", message: "lock wait timeout"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.InternalServerError, "retryable");
        Assert.Equal("lock wait timeout", error.Message);
    }

    /// <summary>A read-only stream that does not say its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
