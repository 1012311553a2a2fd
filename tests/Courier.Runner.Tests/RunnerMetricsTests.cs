using System.Net;
using Courier.Runner.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>The <c>Courier.Runner</c> meter, observed with a <see cref="System.Diagnostics.Metrics.MeterListener"/>.</summary>
public sealed class RunnerMetricsTests
{
    [Fact]
    public async Task Runner_CountsEveryAnswer_ByTypeOutcomeClassAndStatus()
    {
        await using var runner = await TestRunner.StartAsync();

        (await runner.PostAsync(TestJobs.Event("ok"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("ok"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("throw"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("permanent"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("ok", type: "unknownType"))).Dispose();
        (await runner.PostAsync("{"u8.ToArray())).Dispose();
        (await runner.PostAsync(TestJobs.Event("ok"), sign: false)).Dispose();

        var requests = CourierRunnerTelemetry.Requests;
        Assert.Equal(7, runner.Metrics.Sum(requests));
        Assert.Equal(2, runner.Metrics.Sum(requests, ("job.type", TestJobs.Type), ("outcome", "succeeded"), ("http.response.status_code", 200)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", TestJobs.Type), ("outcome", "failed"), ("failure.class", "retryable"), ("http.response.status_code", 500)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", TestJobs.Type), ("outcome", "failed"), ("failure.class", "permanent"), ("http.response.status_code", 422)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", "unknown"), ("outcome", "rejected"), ("failure.class", "decode"), ("http.response.status_code", 404)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", null), ("outcome", "rejected"), ("failure.class", "decode"), ("http.response.status_code", 400)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", null), ("outcome", "rejected"), ("failure.class", "permanent"), ("http.response.status_code", 403)));
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.SignatureRejections, ("reason", "missing")));
        Assert.DoesNotContain(runner.Metrics.Of(requests), m => m.Tags.Keys.Any(k => k.Contains("id", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Runner_LabelsJobTypesWithoutAHandlerHereAsUnknown_SoCallersCannotMintLabelValues()
    {
        await using var runner = await TestRunner.StartAsync();
        var chosen = "attacker-" + Guid.NewGuid().ToString("N");

        using var response = await runner.PostAsync(TestJobs.Event("ok", type: chosen));
        (await runner.PostAsync(TestJobs.Event("ok"))).Dispose();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var requests = CourierRunnerTelemetry.Requests;
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", "unknown"), ("http.response.status_code", 404)));
        Assert.Equal(1, runner.Metrics.Sum(requests, ("job.type", TestJobs.Type), ("http.response.status_code", 200)));
        Assert.DoesNotContain(runner.Metrics.Of(requests), m => m.Tags.Values.Any(v => Equals(v, chosen)));
    }

    [Fact]
    public async Task Runner_RecordsDurationsOfExecutionsOnly()
    {
        await using var runner = await TestRunner.StartAsync();

        (await runner.PostAsync(TestJobs.Event("ok"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("throw"))).Dispose();
        (await runner.PostAsync(TestJobs.Event("ok"), sign: false)).Dispose();

        var durations = runner.Metrics.Of(CourierRunnerTelemetry.JobDuration);
        Assert.Equal(2, durations.Count);
        Assert.Single(durations, d => Equals(d.Tags["outcome"], "succeeded") && Equals(d.Tags["job.type"], TestJobs.Type));
        Assert.Single(durations, d => Equals(d.Tags["outcome"], "failed"));
        Assert.All(durations, d => Assert.True(d.Value >= 0));
    }

    [Fact]
    public async Task Runner_CountsInFlightExecutions_UpWhileRunningAndBackToZero()
    {
        await using var runner = await TestRunner.StartAsync();
        var held = runner.PostAsync(TestJobs.Event("hold"));
        await Eventually.TrueAsync(() => runner.Handler.Holding == 1, "the handler held one job", TimeSpan.FromSeconds(10), () => $"holding {runner.Handler.Holding}");

        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.InFlight, ("job.type", TestJobs.Type)));

        runner.Handler.ReleaseAll();
        using var response = await held;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, runner.Metrics.Sum(CourierRunnerTelemetry.InFlight, ("job.type", TestJobs.Type)));
    }
}
