using System.Text.RegularExpressions;

namespace Courier.Server.Alerting;

/// <summary>
/// The shipped rules' alerts on the job pipeline: decode failures, growing dead letters, consumer lag, the oldest
/// pending job, executions that stopped while jobs arrive, and a type left paused.
/// </summary>
internal static partial class PipelineRules
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly string[] ByType = ["job_type"];

    /// <summary>The six alerts.</summary>
    public static IEnumerable<WatcherRule> Create()
    {
        yield return new WatcherRule("CourierJobDecodeFailures", "page", TimeSpan.Zero,
            h => h.Increase("courier.jobs.decode_failures", FiveMinutes, ["job_type", "reason"]).Values.Where(s => s.Value > 0),
            r => $"Jobs of type {r.Label("job_type")} cannot be decoded ({r.Label("reason")})",
            r => $"{AlertText.Number(r.Value)} job(s) of type {r.Label("job_type")} were dead-lettered as decode, reason "
                + $"{r.Label("reason")}, in the last 5 minutes. They cannot succeed until the handler, the runner or the params "
                + "schemas change; fix that, then replay the dead letters (`courier dlq`).");

        yield return new WatcherRule("CourierDeadLettersGrowing", "ticket", TimeSpan.FromMinutes(15),
            h => h.Increase("courier.jobs.dead_letters", TimeSpan.FromMinutes(10), ["job_type", "failure_class"]).Values.Where(s => s.Value > 0),
            r => $"Dead letters of type {r.Label("job_type")} keep growing ({r.Label("failure_class")})",
            r => $"Jobs of type {r.Label("job_type")} have been written to the error topic with class "
                + $"{r.Label("failure_class")} for 15 minutes without a pause ({AlertText.Number(r.Value)} in the last 10 minutes). "
                + "Inspect them with `courier dlq list` and replay once the cause is fixed.");

        yield return new WatcherRule("CourierConsumerLagHigh", "ticket", TimeSpan.FromMinutes(10),
            h => h.Gauge("courier.consumer.lag", ["messaging_destination_name"], (a, b) => a + b,
                l => !RetryTopic().IsMatch(l.TryGetValue("messaging_destination_name", out var t) ? t : "")).Values.Where(s => s.Value > 10000),
            r => $"Dispatcher lag on {r.Label("messaging_destination_name")} is {AlertText.Number(r.Value)} records",
            r => "The dispatcher group has been more than 10000 records behind on topic "
                + $"{r.Label("messaging_destination_name")} for 10 minutes: jobs arrive faster than they are run, or the "
                + "dispatcher cannot commit (courier_log_errors_total).");

        yield return new WatcherRule("CourierOldestPendingJobTooOld", "page", FiveMinutes,
            h => h.Gauge("courier.jobs.oldest_pending_age", ByType, Math.Max).Values.Where(s => s.Value > 900),
            r => $"The oldest pending job of type {r.Label("job_type")} is {AlertText.Duration(r.Value)} old",
            r => $"A job of type {r.Label("job_type")} taken by the dispatcher has been unfinished for more than 15 minutes "
                + "(longer than the default 7-minute execution timeout) for 5 minutes: executions hang or the type's "
                + "concurrency budget is exhausted.");

        yield return new WatcherRule("CourierJobTypePaused", "ticket", TimeSpan.FromMinutes(15),
            h => h.Gauge("courier.jobs.paused", ByType, Math.Max).Values.Where(s => s.Value > 0),
            r => $"Job type {r.Label("job_type")} is paused",
            r => $"The dispatcher has had the consumption of type {r.Label("job_type")} paused for 15 minutes: its jobs "
                + "wait in the log and none is run. `courier up` shows since when and why; resume the type once the cause "
                + "is fixed.");

        yield return new WatcherRule("CourierBreakerOpen", "page", TimeSpan.FromMinutes(1),
            h => h.Gauge("courier.breaker.state", ByType, Math.Max).Values.Where(s => s.Value > 0),
            r => $"The circuit breaker of job type {r.Label("job_type")} is open",
            r => $"The dispatcher's circuit breaker has kept type {r.Label("job_type")} open or half-open for a minute: most of its "
                + "recent attempts failed, so its jobs wait in the log and its failures are held, not spent. Look at the pause "
                + "reason (`courier up`) for the top error and at the last release; the breaker closes by itself once trial "
                + "jobs succeed, and `courier resume` forces it closed.");

        yield return new WatcherRule("CourierJobExecutionsStopped", "page", TimeSpan.FromMinutes(10),
            Stopped,
            r => $"Jobs of type {r.Label("job_type")} arrive but none are executed",
            r => $"Jobs of type {r.Label("job_type")} have been enqueued for 10 minutes ({AlertText.Number(r.Value)} a second) while no "
                + "execution of the type finished: the dispatcher is stopped, stuck, or not running this type's topic.");
    }

    /// <summary>Types enqueued or accepted by the intake in 5 minutes with no outcome, valued with the arrival rate.</summary>
    private static IEnumerable<SeriesValue> Stopped(SampleHistory history)
    {
        var enqueued = history.Increase("courier.jobs.enqueued", FiveMinutes, ByType);
        var accepted = history.Increase("courier.intake.events", FiveMinutes, ByType, l => l.TryGetValue("outcome", out var o) && o == "accepted");
        var executed = history.Increase("courier.jobs.outcomes", FiveMinutes, ByType);
        // As the rule's `or`: the enqueue rate where it is above 0, else the intake's.
        var arrivals = accepted.Where(a => a.Value.Value > 0).ToDictionary();
        foreach (var (key, e) in enqueued.Where(e => e.Value.Value > 0))
        {
            arrivals[key] = e;
        }
        foreach (var (key, arrived) in arrivals)
        {
            if (!(executed.TryGetValue(key, out var e) && e.Value > 0))
            {
                yield return arrived with { Value = arrived.Value / FiveMinutes.TotalSeconds };
            }
        }
    }

    [GeneratedRegex("^[^.]+[.]retry[.].+$", RegexOptions.CultureInvariant)]
    private static partial Regex RetryTopic();
}
