using System.Diagnostics;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Telemetry;

/// <summary>
/// A job's trace runs from the code that enqueued it, through the dispatcher's execution (record headers), to the
/// runner's execution (the W3C headers of the runner request), on a real dispatcher and a runner on Kestrel.
/// </summary>
public sealed class RunnerTraceTests
{
    private static readonly RunnerKey Key = new("trace-key", "trace-secret-0123456789abcdef");

    /// <summary>
    /// With a listener on ASP.NET Core's source the runner's execution is a child of the request activity; without
    /// one (no OpenTelemetry ASP.NET Core instrumentation, no logging) it takes its parent from the request headers.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunnerExecution_JoinsTheEnqueuersTrace_WithTheDispatchersExecutionAsAncestor(bool aspNetCoreListened)
    {
        string[] sources = aspNetCoreListened
            ? [CourierTelemetry.Name, CourierRunnerTelemetry.Name, "System.Net.Http", "Microsoft.AspNetCore"]
            : [CourierTelemetry.Name, CourierRunnerTelemetry.Name, "System.Net.Http"];
        using var recorder = new ActivityRecorder(sources);
        var (producer, handlerContext) = await RunOneJobAsync(JobResult.Success);

        Assert.NotNull(handlerContext);
        Assert.Equal(producer.TraceId, handlerContext.Value.TraceId);
        var all = recorder.Of(producer.TraceId);
        var process = Assert.Single(all, a => a.DisplayName == "process alpha");
        Assert.Equal(producer.SpanId, process.ParentSpanId);
        var run = Assert.Single(all, a => a.Source.Name == CourierRunnerTelemetry.Name);
        Assert.Equal("run alpha", run.DisplayName);
        Assert.Equal(run.SpanId, handlerContext.Value.SpanId);
        Assert.True(ActivityRecorder.Descends(run, process.SpanId, all),
            string.Join("; ", all.Select(a => $"{a.Source.Name}/{a.DisplayName} {a.SpanId} <- {a.ParentSpanId}")));
        Assert.Equal(aspNetCoreListened, all.Any(a => a.Source.Name == "Microsoft.AspNetCore"));
    }

    [Fact]
    public async Task AFailedRunnerExecution_IsMarkedAsAnError_WithItsFailureClass()
    {
        using var recorder = new ActivityRecorder([CourierTelemetry.Name, CourierRunnerTelemetry.Name, "System.Net.Http"]);
        var (producer, _) = await RunOneJobAsync(JobResult.Fail("the wiki is gone"));

        var run = Assert.Single(recorder.Of(producer.TraceId), a => a.Source.Name == CourierRunnerTelemetry.Name);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal("permanent", run.StatusDescription);
    }

    /// <summary>Enqueues one job inside a producer activity and runs it through a dispatcher on a runner whose handler answers <paramref name="result"/>.</summary>
    private static async Task<(Activity Producer, ActivityContext? HandlerContext)> RunOneJobAsync(JobResult result)
    {
        var ran = new TaskCompletionSource<ActivityContext?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runner = await LoopbackApp.StartAsync(
            app => app.MapCourierRunner(),
            builder => builder.Services.AddCourierRunner(o => o.Keys.Add(Key)).AddHandler<TestParams>("alpha",
                new DelegateHandler<TestParams>((_, _, _) =>
                {
                    ran.TrySetResult(Activity.Current?.Context);
                    return ValueTask.FromResult(result);
                })),
            cancellationToken: TestContext.Current.CancellationToken);
        using var directory = new TempDirectory("trace");
        var options = new DispatcherOptions
        {
            GroupId = "trace-test",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            RunnerPools = { new RunnerPoolOptions { Name = "runners", Urls = [runner.BaseUrl], SigningKey = Key, ExecutionLimit = TimeSpan.FromSeconds(2) } },
            Rules = { new JobRule { Type = "alpha", Runner = "runners", Timeout = TimeSpan.FromSeconds(10) } },
        };
        await using var h = new DispatcherHarness(SqliteJobLog.Open(directory.File("log.db")), new CourierOptions(), options);

        var producer = new Activity("enqueue").SetIdFormat(ActivityIdFormat.W3C).Start();
        try
        {
            await h.EnqueueAsync("alpha", [new TestParams("traced")]);
        }
        finally
        {
            producer.Stop();
        }
        await h.StartAsync();
        var handlerContext = await ran.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await h.WaitIdleAsync();

        return (producer, handlerContext);
    }
}
