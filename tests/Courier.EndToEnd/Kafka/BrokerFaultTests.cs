using Confluent.Kafka;
using Courier.EndToEnd.Support;
using Courier.TestDispatcher;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// A dispatcher process rides out faults of the mock Kafka cluster mid-run — the broker leading most job partitions
/// down for several seconds, then produce requests (its retry and dead-letter writes) and offset commits failing —
/// without a restart: every job still ends in exactly one terminal state, each fault shows in the process's log, and
/// its outcome metrics still reconcile with the jobs.
/// </summary>
public sealed class BrokerFaultTests
{
    private const int Jobs = 3_000;
    private const int Partitions = 8;
    private const int PermanentEvery = 20;
    private const int WorkMilliseconds = 20;
    private const int InjectedErrors = 5;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Dispatcher_RecoversWithoutRestart_WhenABrokerIsDownAndProduceAndCommitRequestsFail()
    {
        await using var scenario = KafkaScenario.Start(Partitions);
        // A session longer than the outage: the member must not be expired by a coordinator it cannot reach, so any job
        // that ran twice here would be the dispatcher's fault, not a rebalance's.
        using var solo = scenario.StartDispatcher("solo", "--concurrency", "8", "--session-timeout-ms", "10000", "--heartbeat-ms", "500");
        await solo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(
            () => ValueTask.FromResult(scenario.JobPartitions.All(solo.Owned.Contains)),
            "solo was assigned every job partition",
            TimeSpan.FromSeconds(60),
            () => ValueTask.FromResult($"solo was never assigned the job partitions\n{solo.Tail()}"));
        scenario.Phase("assigned");
        var pid = solo.Id;

        // Every 20th job fails permanently and every 10th fails once, so the run keeps writing dead letters and retry
        // records (produce requests) throughout, next to the commits.
        var jobs = await scenario.EnqueueAsync(Enumerable.Range(0, Jobs).Select(i => new TestJobParams(
            i, WorkMilliseconds, FailAttempts: Retried(i) ? 1 : 0, Permanent: IsPermanent(i))).ToList());
        scenario.Phase("enqueued");
        await WaitForDeliveriesAsync(solo, Jobs / 10);

        // 1. The broker leading most job partitions goes away for a while, then comes back.
        var leaders = scenario.Leaders(scenario.JobTopic);
        var victim = leaders.Values.GroupBy(b => b).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var victimAddress = scenario.Cluster.BootstrapServers.Split(',')[victim - 1]; // listed in broker id order
        var victimPartitions = leaders.Where(kv => kv.Value == victim).Select(kv => kv.Key).ToHashSet();
        var beforeOutage = (await KafkaScenario.ReadDeliveriesAsync(solo)).Count;
        scenario.Cluster.SetBrokerDown(victim);
        scenario.Phase($"broker {victim} down");
        // The outage lasts a fixed time by design: this is the fault, not a wait for work.
        await Task.Delay(Outage, TestContext.Current.CancellationToken);
        var duringOutage = (await KafkaScenario.ReadDeliveriesAsync(solo)).Count - beforeOutage;
        scenario.Cluster.SetBrokerUp(victim);
        scenario.Phase($"broker {victim} up");
        var upAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Eventually.TrueAsync(
            async () => (await KafkaScenario.ReadDeliveriesAsync(solo))
                .Any(d => d.AtUnixMs > upAt && d.Topic == scenario.JobTopic && victimPartitions.Contains(d.Partition)),
            "a job of the restarted broker's partitions ran",
            TimeSpan.FromSeconds(60),
            () => ValueTask.FromResult($"no job of broker {victim}'s partitions ran after it came back\n{solo.Tail()}"));
        scenario.Phase("its partitions flowing again");

        // 2. The next produce requests (retry and dead-letter records) and offset commits are refused by the brokers.
        // Both are errors librdkafka does not retry by itself, so the dispatcher sees every one of them.
        scenario.Cluster.PushRequestErrors(KafkaApiKeys.Produce, Enumerable.Repeat(ErrorCode.MsgSizeTooLarge, InjectedErrors).ToArray());
        scenario.Cluster.PushRequestErrors(KafkaApiKeys.OffsetCommit, Enumerable.Repeat(ErrorCode.OffsetMetadataTooLarge, InjectedErrors).ToArray());
        scenario.Phase("request errors pushed");

        IReadOnlyList<InboxDelivery> deliveries = [];
        IReadOnlyList<DeadLetter> letters = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(solo.HasExited, $"the dispatcher exited. Output:\n{solo.Tail()}");
                deliveries = await KafkaScenario.ReadDeliveriesAsync(solo);
                letters = await scenario.ReadDeadLettersAsync();
                var ended = deliveries.Select(d => d.JobId).Concat(letters.Select(l => l.JobId ?? "")).ToHashSet(StringComparer.Ordinal);
                return jobs.All(j => ended.Contains(j.Id)) && (await scenario.BacklogAsync()).Count == 0;
            },
            "every job was delivered or dead-lettered and the backlog was empty",
            TimeSpan.FromSeconds(120),
            async () => $"{deliveries.Select(d => d.JobId).Distinct().Count()} delivered, {letters.Count} dead-lettered of {Jobs}; backlog "
                + string.Join(", ", (await scenario.BacklogAsync()).Select(kv => $"{kv.Key}={kv.Value}")) + $"\n{solo.Tail(30)}",
            TimeSpan.FromMilliseconds(200));
        scenario.Phase("drained");
        Assert.Equal(pid, solo.Id);
        await solo.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        // Nothing lost, nothing run twice by the dispatcher: the member never lost its partitions, so every job ran to
        // exactly one end.
        deliveries = await KafkaScenario.ReadDeliveriesAsync(solo);
        letters = await scenario.ReadDeadLettersAsync();
        var deliveryCounts = deliveries.GroupBy(d => d.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var letterCounts = letters.GroupBy(l => l.JobId ?? "(no job id)", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lines = solo.Lines;
        var wrong = new List<string>();
        var wrongIds = new List<string>();
        var writtenTwice = 0;
        var retriesWrittenTwice = 0;
        for (var index = 0; index < jobs.Count; index++)
        {
            var delivered = deliveryCounts.GetValueOrDefault(jobs[index].Id);
            var lettered = letterCounts.GetValueOrDefault(jobs[index].Id);
            var isPermanent = IsPermanent(index);
            if (isPermanent ? delivered == 0 && lettered == 1 : delivered == 1 && lettered == 0)
            {
                continue;
            }
            // A write that failed after its request went out may have landed all the same (the broker went down with
            // it in flight, and the retried request was refused): the dispatcher writes the record again, so the job's
            // dead letter, or its retry (and with it the second attempt), is in the log twice. At-least-once, as for
            // the outcome ledger; allowed only for a job whose write of that record the dispatcher logged as failed.
            var kind = isPermanent ? "dead-letter" : "retry";
            if ((isPermanent ? delivered == 0 && lettered == 2 : delivered == 2 && lettered == 0)
                && lines.Any(l => l.Contains("Courier.Dispatcher[7]", StringComparison.Ordinal)
                    && l.Contains($"Writing the {kind} record of job {jobs[index].Id} ", StringComparison.Ordinal)))
            {
                writtenTwice++;
                retriesWrittenTwice += isPermanent ? 0 : 1;
                continue;
            }
            wrong.Add($"job {index} at {jobs[index].Position}: delivered {delivered}×, dead-lettered {lettered}×");
            wrongIds.Add(jobs[index].Id);
        }
        var revoked = lines.TakeWhile(l => !l.Contains("Stopping solo", StringComparison.Ordinal))
            .Where(l => l.Contains("Partitions revoked", StringComparison.Ordinal)).ToList();
        Assert.True(revoked.Count == 0, "the member lost partitions during the faults, so jobs may rightly run twice; the test's premise is broken:\n" + string.Join("\n", revoked));
        // What the dispatcher logged about those jobs (a refused write it retried, for one): the next failure says why.
        var aboutWrong = lines.Where(l => wrongIds.Any(id => l.Contains(id, StringComparison.Ordinal))).Take(20);
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {Jobs} jobs did not end exactly once in the right state:\n  " + string.Join("\n  ", wrong.Take(10))
            + "\ntheir dead letters:\n  " + string.Join("\n  ", letters.Where(l => wrongIds.Contains(l.JobId ?? "")).Select(l => $"{l.JobId} at {l.Position}, failed at {l.FailedAt:O}"))
            + "\nthe dispatcher's log lines naming them:\n  " + string.Join("\n  ", aboutWrong));
        var indexById = jobs.Select((job, index) => (job.Id, index)).ToDictionary(x => x.Id, x => x.index, StringComparer.Ordinal);
        Assert.All(deliveries.Where(d => Retried(indexById[d.JobId])), d => Assert.Equal(2, d.Attempt));

        // Each fault is in the log: the broker going away, the refused writes (retried, job kept uncommitted), the
        // refused commits (retried at the next interval).
        var brokerErrors = lines.Where(l => l.Contains(victimAddress, StringComparison.Ordinal) && l.Contains("Connection refused", StringComparison.Ordinal)).ToList();
        var produceErrors = lines.Where(l => l.Contains("Courier.Dispatcher[7]", StringComparison.Ordinal) && l.Contains(nameof(ErrorCode.MsgSizeTooLarge), StringComparison.Ordinal)).ToList();
        var commitErrors = lines.Where(l => l.Contains("Courier.Dispatcher[8]", StringComparison.Ordinal) && l.Contains(nameof(ErrorCode.OffsetMetadataTooLarge), StringComparison.Ordinal)).ToList();
        Assert.True(brokerErrors.Count > 0, $"no log line says broker {victim} ({victimAddress}) was unreachable\n{solo.Tail()}");
        Assert.True(produceErrors.Count > 0, $"no log line shows a refused retry or dead-letter write\n{solo.Tail()}");
        Assert.True(commitErrors.Count > 0, $"no log line shows a refused commit\n{solo.Tail()}");

        // The outcome metrics reconcile with the jobs: the faults neither lost nor double-counted an outcome.
        var metrics = solo.Metrics;
        var permanent = Enumerable.Range(0, Jobs).Count(IsPermanent);
        var retried = Enumerable.Range(0, Jobs).Count(i => Retried(i));
        // A retry written twice ran its second attempt twice (above): each run is an outcome.
        Assert.Equal(Jobs - permanent + retriesWrittenTwice, metrics.GetValueOrDefault("courier.jobs.outcomes{job.type=e2e,outcome=succeeded,release=" + DispatcherProcess.Release + "}"));
        Assert.Equal(permanent, metrics.GetValueOrDefault("courier.jobs.outcomes{failure.class=permanent,job.type=e2e,outcome=dead_lettered,release=" + DispatcherProcess.Release + "}"));
        Assert.Equal(retried, metrics.GetValueOrDefault("courier.jobs.outcomes{failure.class=retryable,job.type=e2e,outcome=retried,release=" + DispatcherProcess.Release + "}"));
        Assert.Equal(0, metrics.GetValueOrDefault("courier.jobs.in_flight{job.type=e2e}"));
        // …and the faults themselves are counted, not only logged.
        Assert.True(metrics.GetValueOrDefault("courier.log.errors{operation=produce}") >= produceErrors.Count,
            $"courier.log.errors{{operation=produce}} = {metrics.GetValueOrDefault("courier.log.errors{operation=produce}")}, {produceErrors.Count} refused writes logged");
        Assert.True(metrics.GetValueOrDefault("courier.log.errors{operation=commit}") >= commitErrors.Count,
            $"courier.log.errors{{operation=commit}} = {metrics.GetValueOrDefault("courier.log.errors{operation=commit}")}, {commitErrors.Count} refused commits logged");

        var coordinatorWasDown = lines.Any(l => l.Contains("GroupCoordinator: " + victimAddress, StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"broker {victim} ({victimAddress}) led job partitions {string.Join(",", victimPartitions.Order())}"
            + $"{(coordinatorWasDown ? " and was the group coordinator" : "")}; {duringOutage} jobs ran during its {Outage.TotalSeconds:0} s outage. "
            + $"Logged: {brokerErrors.Count} connection errors for it, {produceErrors.Count} refused writes, {commitErrors.Count} refused commits. "
            + $"{deliveries.Count} delivered, {letters.Count} dead-lettered, {retried} retried once; {writtenTwice} records written twice "
            + $"after a write that failed may have landed. {scenario.Phases}\n"
            + string.Join("\n", produceErrors.Take(1).Concat(commitErrors.Take(1)).Concat(brokerErrors.Take(1)).Select(l => l.Length > 300 ? l[..300] + "…" : l)));
    }

    private static async Task WaitForDeliveriesAsync(DispatcherProcess member, int count)
    {
        var delivered = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(member.HasExited, $"the dispatcher exited. Output:\n{member.Tail()}");
                delivered = (await KafkaScenario.ReadDeliveriesAsync(member)).Count;
                return delivered >= count;
            },
            "the member delivered the jobs",
            TimeSpan.FromSeconds(60),
            () => ValueTask.FromResult($"{delivered} delivered, waiting for {count}\n{member.Tail()}"));
    }

    private static bool IsPermanent(int index) => index % PermanentEvery == 0;

    private static bool Retried(int index) => index % 10 == 3;
}
