using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Courier.Testing;
using Courier.Tests.Dispatching;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Courier.Tests.Runners.HttpRunnerDispatchTests;

namespace Courier.Tests.Runners;

/// <summary>
/// The dispatcher counts every runner answer in <c>courier.runner.responses</c> by status code — a pool answering 400
/// is visible without any meter on the runner (MediaWiki's runners have none) — and a request without an answer by
/// <c>error.type</c>.
/// </summary>
public sealed class RunnerResponseMetricsTests
{
    private static readonly string[] Tags = ["job.type", "runner.pool", "http.response.status_code", "error.type"];

    [Fact]
    public async Task EveryAnswer_IsCountedByTypePoolAndStatus_AndNoAnswerByErrorType()
    {
        await using var runner = await StandInRunner.StartAsync(async (request, context) =>
        {
            switch (request.JobName)
            {
                case "bad":
                    await StandInRunner.Answer(context, 400, "decode", "$.params.title: required");
                    break;
                case "boom":
                    await StandInRunner.Answer(context, 500, "retryable", "handler threw");
                    break;
                case "slow":
                    // No answer until the dispatcher gives up at the rule's timeout.
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
            }
        });
        // The refusing URL first: the first job's request cannot connect, and goes to the stand-in instead.
        var pool = Pool(StandInRunner.RefusingUrl(), runner.BaseUrl);
        // Timeouts long enough that a loaded machine does not time out an answering runner (at 500 ms a run under load once counted
        // one of the two 200s as a timeout); only the "slow" job waits them out.
        pool.ExecutionLimit = TimeSpan.FromSeconds(2);
        await using var h = Harness.Sqlite(Options(pool, Rule("alpha", limit: 0, concurrency: 1, timeoutMs: 3_000)));
        var counts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var listener = Listen(h.Telemetry.RunnerResponses.Instrument, counts);

        await h.EnqueueAsync("alpha", [new("ok1"), new("bad"), new("boom"), new("ok2"), new("slow")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, counts.GetValueOrDefault("alpha|runners|200|"));
        Assert.Equal(1, counts.GetValueOrDefault("alpha|runners|400|"));
        Assert.Equal(1, counts.GetValueOrDefault("alpha|runners|500|"));
        Assert.Equal(1, counts.GetValueOrDefault("alpha|runners||timeout"));
        Assert.True(counts.GetValueOrDefault("alpha|runners||connection") >= 1, string.Join(", ", counts));
    }

    /// <summary>Sums of the instrument's measurements by <c>job.type|runner.pool|status|error.type</c>.</summary>
    private static MeterListener Listen(Instrument instrument, ConcurrentDictionary<string, long> counts)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (published, l) =>
            {
                if (ReferenceEquals(published, instrument))
                {
                    l.EnableMeasurementEvents(published);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                tagged[tag.Key] = tag.Value;
            }
            var key = string.Join('|', Tags.Select(k => tagged.GetValueOrDefault(k)));
            counts.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        listener.Start();
        return listener;
    }
}
