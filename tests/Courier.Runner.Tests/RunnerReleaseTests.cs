using Courier.Runner.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>The runner names the release it runs (<see cref="CourierOptions.Release"/>) on request counts and job-failure logs.</summary>
public sealed class RunnerReleaseTests
{
    private const string Release = "runner-release-7";

    [Fact]
    public async Task FailedJob_IsCountedAndLogged_WithTheConfiguredRelease()
    {
        await using var runner = await TestRunner.StartAsync(
            configureCourier: c => c.Services.Configure<CourierOptions>(o => o.Release = Release));

        (await runner.PostAsync(TestJobs.Event("throw"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("ok"))).Dispose();

        var requests = CourierRunnerTelemetry.Requests;
        Assert.Equal(1, runner.Metrics.Sum(requests, ("outcome", "failed"), ("http.response.status_code", 500), ("release", Release)));
        Assert.Equal(2, runner.Metrics.Sum(requests, ("release", Release)));
        var failed = Assert.Single(runner.Logs.Of(4007));
        Assert.Equal(Release, failed.Values["Release"]);
        Assert.Contains("release " + Release, failed.Message, StringComparison.Ordinal);
    }
}
