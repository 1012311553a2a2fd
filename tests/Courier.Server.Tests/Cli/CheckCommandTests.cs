using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier check</c>'s usage errors and an unreachable dispatcher (the verdicts: Check/CheckEndToEndTests).</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_WithoutSince_IsAUsageError()
    {
        var result = await CliRun.RunAsync("check");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithABadUrl_IsAUsageError()
    {
        var result = await CliRun.RunAsync("check", "--since", "15m", "--url", "ftp://x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--server/--url 'ftp://x' is not an http:// or https:// URL.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithNoServer_FailsNamingTheAddress()
    {
        var url = LoopbackApp.RefusingUrl();

        var result = await CliRun.RunAsync("check", "--since", "15m", "--url", url.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot read {url}v1/check?since=15m", result.Error, StringComparison.Ordinal);
    }
}
