using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Courier.Testing;

/// <summary>Synthetic probes (<see cref="JobRule.Probe"/>, <see cref="Dispatcher.GetProbes"/>), on every engine.</summary>
public abstract partial class DispatcherEngineTests
{
    private static readonly RunnerKey ProbeRunnerKey = new("probe-key", "probe-runner-secret-0123456789");

    [Fact]
    public async Task Probe_OfATypeWithNoTraffic_GetsResults_AndASkipHandlerIsNotInvoked()
    {
        await using var h = CreateHarness(Options(Probed(Rule("alpha"), """{"name":"probe"}"""), Rule("beta")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => ProbeOf(h, "alpha").Succeeded >= 2, "two of alpha's probes succeeded");

        var probe = ProbeOf(h, "alpha");
        Assert.True(probe.Sent >= 2);
        Assert.NotNull(probe.LastSuccess);
        Assert.Null(probe.LastFailure);
        Assert.Equal(0, probe.ConsecutiveFailures);
        Assert.False(probe.Missing);
        Assert.Equal(TimeSpan.FromMilliseconds(100), probe.Every);
        Assert.Empty(h.Executions); // the handler skips probes (the default): bound, answered, not run
        var stats = Stats(h, "alpha");
        Assert.True(stats.ProbesSucceeded >= 2);
        Assert.Equal(0, stats.Started); // a probe is not one of the type's jobs
        Assert.Equal(0, stats.Succeeded);
        Assert.Equal(0, stats.Executions);
        Assert.DoesNotContain(h.Dispatcher.GetProbes(), p => p.Type == "beta");

        // A real job of the type still runs its handler, and is counted as the type's.
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("real")]);
        await h.WaitUntilAsync(() => h.Succeeded.ContainsKey(jobs[0].Id), "the real job ran");
        Assert.Equal(1, Stats(h, "alpha").Succeeded);
        Assert.Equal([jobs[0].Id], h.Executions.Select(e => e.Id));
    }

    [Fact]
    public async Task Probe_ThatTheReleaseCannotDecode_FailsAsProbeFailed_NeverDeadLettered_AndShowsTheFailingCondition()
    {
        // The 2019 failure: params this release can no longer bind ("name" is not a string for TestParams).
        await using var h = CreateHarness(Options(Probed(Rule("alpha"), """{"name":12}""")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => ProbeOf(h, "alpha").ConsecutiveFailures >= 2, "two of alpha's probes failed in a row");

        var probe = ProbeOf(h, "alpha");
        Assert.Null(probe.LastSuccess); // CourierProbeFailing's condition: failures in a row, no success
        Assert.NotNull(probe.LastFailure);
        Assert.Contains("do not bind to TestParams", probe.LastFailureMessage, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(probe.LastFailureRelease));
        var stats = Stats(h, "alpha");
        Assert.True(stats.ProbesFailed >= 2);
        Assert.Equal(0, stats.DeadLettered);
        Assert.Equal(0, stats.Retried);
        Assert.Equal(0, stats.Held);
        Assert.Equal(0, stats.Pending);
        Assert.Empty(h.Executions);
        Assert.Empty(await h.ReadDeadLettersAsync());
    }

    [Fact]
    public async Task Probe_ThroughACourierRunnerOverHttp_CarriesTheSignedMark_AndTheRunnerSkipsIt()
    {
        var seen = new ConcurrentQueue<(string Probe, string Signature, int Status)>();
        var invoked = new ConcurrentQueue<(string Id, bool IsProbe)>();
        await using var runner = await LoopbackApp.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                await next(context);
                seen.Enqueue((context.Request.Headers[RunnerProtocol.ProbeHeader].ToString(),
                    context.Request.Headers[RunnerProtocol.SignatureHeader].ToString(), context.Response.StatusCode));
            });
            app.MapCourierRunner();
        }, builder => builder.Services.AddCourierRunner(o => o.Keys.Add(ProbeRunnerKey))
            .AddHandler("alpha", new DelegateHandler<TestParams>((job, context, _) =>
            {
                invoked.Enqueue((job.Id, context.IsProbe));
                return ValueTask.FromResult(JobResult.Success);
            })), cancellationToken: Ct);
        var options = Options(Probed(Rule("alpha"), """{"name":"probe"}"""));
        options.Rules[0].Runner = "runners";
        options.RunnerPools.Add(new RunnerPoolOptions
        {
            Name = "runners",
            Urls = [runner.BaseUrl],
            SigningKey = ProbeRunnerKey,
            ExecutionLimit = TimeSpan.FromSeconds(2),
        });
        await using var h = CreateHarness(options);
        await h.StartAsync();
        await h.WaitUntilAsync(() => ProbeOf(h, "alpha").Succeeded >= 2, "two of alpha's probes succeeded on the runner");
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("real")]);
        await h.WaitUntilAsync(() => Stats(h, "alpha").Succeeded == 1, "the real job ran on the runner");

        Assert.Contains(seen, r => r.Probe == "1" && r.Signature.StartsWith("v2=", StringComparison.Ordinal) && r.Status == 200);
        Assert.All(seen, r => Assert.Equal(200, r.Status)); // the signature covers the mark and verifies
        Assert.Equal([(jobs[0].Id, false)], invoked); // only the real job reached the handler
        Assert.Equal(0, Stats(h, "alpha").ProbesFailed);
    }

    private static JobRule Probed(JobRule rule, string paramsJson)
    {
        rule.Probe = new ProbeSpec { Every = TimeSpan.FromMilliseconds(100), Params = JsonElement.Parse(paramsJson), Database = "probewiki" };
        return rule;
    }

    private static ProbeStatus ProbeOf(DispatcherHarness h, string type) => h.Dispatcher.GetProbes().Single(p => p.Type == type);
}
