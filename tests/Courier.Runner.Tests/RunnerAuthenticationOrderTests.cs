using System.Globalization;
using Courier.Runner.Tests.Support;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// The signing headers are checked before the body is read: a request that cannot be authenticated is refused while
/// its body is still arriving, so unauthenticated connections hold no body in memory.
/// </summary>
public sealed class RunnerAuthenticationOrderTests
{

    [Theory]
    [InlineData("missing")]
    [InlineData("unknown_key")]
    [InlineData("stale")]
    public async Task Runner_Answers403BeforeReadingTheBody_WhenTheHeadersCannotBeAuthenticated(string reason)
    {
        var probe = new BodyReadProbe();
        await using var runner = await TestRunner.StartAsync(time: TestClock.Fixed(), configureApp: probe.Install);
        var ct = TestContext.Current.CancellationToken;
        var signedAt = reason == "stale" ? TestClock.Now.AddSeconds(-301) : TestClock.Now;
        var headers = reason == "missing" ? [] : new[]
        {
            (RunnerProtocol.TimestampHeader, signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            (RunnerProtocol.KeyIdHeader, reason == "unknown_key" ? "k9" : TestRunner.Key.Id),
            (RunnerProtocol.NonceHeader, "00112233445566778899aabbccddeeff"),
            (RunnerProtocol.SignatureHeader, "v2=" + new string('0', 64)),
        };

        // 1 MB declared, 1 KB sent: a runner that reads the body first waits for the rest and never answers.
        await using var request = await PartialRequest.SendAsync(runner.BaseUrl, headers, declaredLength: 1_000_000, sentBytes: 1024, ct);
        var answer = request.ReadStatusAsync(ct);
        var first = await Task.WhenAny(answer, probe.Read);

        Assert.True(first == answer, "the runner started reading the body before it refused the request");
        var (status, body) = await answer;
        Assert.Equal(403, status);
        Assert.Contains("\"error_class\":\"permanent\"", body, StringComparison.Ordinal);
        Assert.False(probe.Read.IsCompleted);
        Assert.Empty(runner.Handler.Calls);
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections, ("reason", reason)));
    }
}
