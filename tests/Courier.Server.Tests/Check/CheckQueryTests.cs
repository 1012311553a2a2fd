using Courier.Server.Check;
using Xunit;

namespace Courier.Server.Tests.Check;

/// <summary>The parameters of <c>GET /v1/check</c>: since as a time, a duration or a release; the baseline; errors naming the parameter.</summary>
public sealed class CheckQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 4, 30, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, DateTimeOffset> Releases = new()
    {
        ["v1"] = Now.AddHours(-2),
        ["v2"] = Now.AddMinutes(-10),
    };

    private static CheckWindow Resolve(string since, string? baseline = null)
    {
        Assert.True(CheckQuery.TryResolve(since, baseline, Now, Releases, out var window, out var error), error);
        return window!;
    }

    private static string Error(string? since, string? baseline = null)
    {
        Assert.False(CheckQuery.TryResolve(since, baseline, Now, Releases, out _, out var error));
        return error!;
    }

    [Fact]
    public void Since_IsATimeADurationOrARelease_AndTheBaselineAsLongAsTheWindowByDefault()
    {
        Assert.Equal(Now.AddMinutes(-20), Resolve("2026-12-05T04:10:00Z").Since);
        Assert.Equal(Now.AddMinutes(-20), Resolve("2026-12-05T06:10:00.000+02:00").Since);
        var duration = Resolve("15m");
        Assert.Equal((Now.AddMinutes(-15), Now, Now.AddMinutes(-30)), (duration.Since, duration.Until, duration.BaselineSince));
        var release = Resolve("v2", baseline: "1h");
        Assert.Equal((Now.AddMinutes(-10), Now.AddMinutes(-70), "v2"), (release.Since, release.BaselineSince, release.SinceRelease));
    }

    [Fact]
    public void BadInput_IsAnErrorNamingTheParameter()
    {
        Assert.StartsWith("since: required", Error(null), StringComparison.Ordinal);
        Assert.Equal("since: '2026-12-05T05:00:00Z' is in the future", Error("2026-12-05T05:00:00Z"));
        Assert.EndsWith("(known releases, newest first: v2, v1)", Error("v3"), StringComparison.Ordinal);
        Assert.StartsWith("since: 'v3' is not an RFC 3339 time", Error("v3"), StringComparison.Ordinal);
        Assert.StartsWith("baseline: 'soon' is not a positive duration", Error("15m", "soon"), StringComparison.Ordinal);
        Assert.StartsWith("baseline: '0s' is not a positive duration", Error("15m", "0s"), StringComparison.Ordinal);
    }
}
