using System.Net;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// Protocol v2: what the signature covers (a man in the middle cannot change the target, host, attempt or timeout),
/// lowercase hex only, and v1 accepted only when the runner is configured to.
/// </summary>
public sealed class RunnerProtocolV2Tests
{
    [Theory]
    [InlineData(RunnerProtocol.AttemptHeader, "7")]
    [InlineData(RunnerProtocol.TimeoutHeader, "1")]
    [InlineData(RunnerProtocol.NonceHeader, "0123456789abcdef0123456789abcdef")]
    [InlineData(RunnerProtocol.ProbeHeader, "1")] // a real job marked as a probe in transit, to have it skipped
    public async Task Runner_Answers403Invalid_WhenASignedHeaderIsChangedInTransit(string header, string value)
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"), timeoutMs: "30000");
        request.Headers.Remove(header);
        request.Headers.Add(header, value);

        using var response = await runner.SendAsync(request);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.Forbidden, "permanent");
        Assert.Contains("does not match this request", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections, ("reason", "invalid")));
    }

    [Fact]
    public async Task Runner_Answers403Invalid_WhenTheTargetIsChangedInTransit()
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"));
        request.RequestUri = new Uri(runner.BaseUrl, RunnerProtocol.DefaultPath + "?dry-run=1");

        using var response = await runner.SendAsync(request);

        await ErrorBody.ExpectAsync(response, HttpStatusCode.Forbidden, "permanent");
        Assert.Empty(runner.Handler.Calls);
    }

    [Fact]
    public async Task Runner_Answers403_WhenTheRequestWasSignedForAnotherRunnerOfThePool()
    {
        await using var a = await TestRunner.StartAsync();
        await using var b = await TestRunner.StartAsync();
        var body = TestJobs.Event("ok");

        using var toB = await b.SendAsync(b.Request(body, signedFor: a.BaseUrl));
        using var toA = await a.SendAsync(a.Request(body, signedFor: a.BaseUrl));

        var error = await ErrorBody.ExpectAsync(toB, HttpStatusCode.Forbidden, "permanent");
        Assert.Contains("host", error.Message, StringComparison.Ordinal);
        Assert.Empty(b.Handler.Calls);
        Assert.Equal(HttpStatusCode.OK, toA.StatusCode);
        Assert.Single(a.Handler.Calls);
    }

    [Fact]
    public async Task Runner_Answers403Invalid_ForAnUppercaseHexSignature()
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"));
        var signature = request.Headers.GetValues(RunnerProtocol.SignatureHeader).Single();
        request.Headers.Remove(RunnerProtocol.SignatureHeader);
        request.Headers.Add(RunnerProtocol.SignatureHeader, "v2=" + signature[3..].ToUpperInvariant());

        using var response = await runner.SendAsync(request);

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.Forbidden, "permanent");
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
    }

    [Fact]
    public async Task Runner_RefusesV1Signatures_ByDefault()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.SendAsync(SignedV1(runner, TestJobs.Event("ok")));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.Forbidden, "permanent");
        Assert.Contains("AcceptV1Signatures", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
        Assert.Empty(runner.Logs.Of(4010));
    }

    [Fact]
    public async Task Runner_AcceptsV1Signatures_WhenConfiguredTo_AndWarnsAtStart()
    {
        await using var runner = await TestRunner.StartAsync(o => o.AcceptV1Signatures = true);

        using var v1 = await runner.SendAsync(SignedV1(runner, TestJobs.Event("ok")));
        using var v2 = await runner.PostAsync(TestJobs.Event("ok"));

        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
        Assert.Equal(2, runner.Handler.Calls.Count);
        Assert.Equal(LogLevel.Warning, Assert.Single(runner.Logs.Of(4010)).Level);
    }

    [Fact]
    public async Task Runner_AnswersASignedProbe_WithoutRunningTheHandler_AndRefusesTheMarkUnderV1()
    {
        await using var runner = await TestRunner.StartAsync(o => o.AcceptV1Signatures = true);

        using var probe = await runner.SendAsync(runner.Request(TestJobs.Event("ok"), probe: true));
        var v1Request = SignedV1(runner, TestJobs.Event("ok"));
        v1Request.Headers.Add(RunnerProtocol.ProbeHeader, "1");
        using var v1 = await runner.SendAsync(v1Request);

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        var error = await ErrorBody.ExpectAsync(v1, HttpStatusCode.Forbidden, "permanent");
        Assert.Contains("needs a v2 signature", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls); // the probe was bound and answered, the handler skipped
    }

    /// <summary>A request as a dispatcher from before v2 signed it: timestamp and body only.</summary>
    private static HttpRequestMessage SignedV1(TestRunner runner, byte[] body)
    {
        var request = runner.Request(body, sign: false);
        var timestamp = runner.Time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(RunnerProtocol.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RunnerProtocol.KeyIdHeader, TestRunner.Key.Id);
        request.Headers.Add(RunnerProtocol.SignatureHeader, RunnerSignature.ComputeV1(TestRunner.Key.Secret, timestamp, body));
        return request;
    }
}
