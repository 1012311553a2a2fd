using System.Net;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>Signed requests: what is refused with 403 (and counted by reason), and key rotation.</summary>
public sealed class RunnerSignatureTests
{
    private static readonly RunnerKey Other = new("k2", "another-secret-0123456789abcdef");


    [Fact]
    public async Task Runner_Answers403Missing_WhenTheRequestIsNotSigned()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("ok"), sign: false);

        await ExpectRejectedAsync(runner, response, "missing", keyId: null);
    }

    [Theory]
    [InlineData(RunnerProtocol.SignatureHeader)]
    [InlineData(RunnerProtocol.KeyIdHeader)]
    [InlineData(RunnerProtocol.TimestampHeader)]
    [InlineData(RunnerProtocol.NonceHeader)]
    public async Task Runner_Answers403Missing_WhenOneSigningHeaderIsAbsent(string header)
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"));
        request.Headers.Remove(header);

        using var response = await runner.SendAsync(request);

        await ExpectRejectedAsync(runner, response, "missing", keyId: header == RunnerProtocol.KeyIdHeader ? null : TestRunner.Key.Id);
    }

    [Fact]
    public async Task Runner_Answers403Invalid_WhenTheBodyWasChangedAfterSigning()
    {
        await using var runner = await TestRunner.StartAsync();
        var signedBody = TestJobs.Event("ok");
        var request = runner.Request(signedBody);
        request.Content = new ByteArrayContent(TestJobs.Event("ok"));
        request.Content.Headers.ContentType = new("application/json");

        using var response = await runner.SendAsync(request);

        await ExpectRejectedAsync(runner, response, "invalid", TestRunner.Key.Id);
    }

    [Fact]
    public async Task Runner_Answers403Invalid_WhenSignedWithAnotherSecretUnderAKnownId()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("ok"), key: new RunnerKey(TestRunner.Key.Id, "not-the-right-secret-at-all"));

        await ExpectRejectedAsync(runner, response, "invalid", TestRunner.Key.Id);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("v1=zz")]
    [InlineData("v2=zz")]
    [InlineData("v3=0000")]
    public async Task Runner_Answers403Invalid_WhenHeadersAreGarbage(string value)
    {
        await using var runner = await TestRunner.StartAsync();
        var request = runner.Request(TestJobs.Event("ok"));
        var header = value.StartsWith('v') ? RunnerProtocol.SignatureHeader : RunnerProtocol.TimestampHeader;
        request.Headers.Remove(header);
        request.Headers.Add(header, value);

        using var response = await runner.SendAsync(request);

        await ExpectRejectedAsync(runner, response, "invalid", TestRunner.Key.Id);
    }

    [Fact]
    public async Task Runner_Answers403UnknownKey_WhenTheKeyIdIsNotConfigured()
    {
        await using var runner = await TestRunner.StartAsync();

        using var response = await runner.PostAsync(TestJobs.Event("ok"), key: Other);

        var error = await ExpectRejectedAsync(runner, response, "unknown_key", Other.Id);
        Assert.Contains("'k2'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    public async Task Runner_AcceptsSignaturesUpTo300SecondsAwayEitherWay_AndRefuses301AsStale(int offsetSeconds, bool accepted)
    {
        await using var runner = await TestRunner.StartAsync(time: TestClock.Fixed());

        using var response = await runner.PostAsync(TestJobs.Event("ok"), signedAt: TestClock.Now.AddSeconds(offsetSeconds));

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Single(runner.Handler.Calls);
            return;
        }
        var error = await ExpectRejectedAsync(runner, response, "stale", TestRunner.Key.Id);
        Assert.Contains("301 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("300 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_HonoursAConfiguredWindow()
    {
        await using var runner = await TestRunner.StartAsync(o => o.SignatureWindow = TimeSpan.FromSeconds(30), time: TestClock.Fixed());

        using var late = await runner.PostAsync(TestJobs.Event("ok"), signedAt: TestClock.Now.AddSeconds(-31));
        await ExpectRejectedAsync(runner, late, "stale", TestRunner.Key.Id);

        using var edge = await runner.PostAsync(TestJobs.Event("ok"), signedAt: TestClock.Now.AddSeconds(-30));
        Assert.Equal(HttpStatusCode.OK, edge.StatusCode);
    }

    [Fact]
    public async Task Runner_AcceptsEveryConfiguredKey_SoKeysCanRotate()
    {
        await using var runner = await TestRunner.StartAsync(o => o.Keys.Add(Other));

        using var old = await runner.PostAsync(TestJobs.Event("ok"), key: TestRunner.Key);
        using var next = await runner.PostAsync(TestJobs.Event("ok"), key: Other);

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, runner.Handler.Calls.Count);
        Assert.Equal(0, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections));
    }

    [Fact]
    public async Task Runner_SkipsSignatureChecks_WhenNotRequired()
    {
        await using var runner = await TestRunner.StartAsync(o => o.RequireSignature = false, addKey: false);

        using var response = await runner.PostAsync(TestJobs.Event("ok"), sign: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(runner.Logs.Of(4001)); // and says so, at warning, when it starts
        Assert.Equal(LogLevel.Warning, runner.Logs.Of(4001)[0].Level);
    }

    private static async Task<ErrorBody> ExpectRejectedAsync(TestRunner runner, HttpResponseMessage response, string reason, string? keyId)
    {
        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.Forbidden, "permanent");
        Assert.Empty(runner.Handler.Calls);
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections, ("reason", reason)));
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections));
        var log = Assert.Single(runner.Logs.Of(4003));
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal(reason, log.Values["Reason"]);
        Assert.Equal(keyId, log.Values["KeyId"]);
        return error;
    }
}
