using Courier.EndToEnd.Support;
using Courier.TestDispatcher;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// One of two dispatcher processes in a group is killed with SIGKILL mid-run on the mock Kafka cluster: the other takes
/// its partitions over after the session timeout, and every job ends delivered or dead-lettered. A job may end twice
/// only if it came from a partition the killed member owned, at or past the offset that member had committed when it
/// died (in flight, or finished but not yet committed): the commit never passes an unfinished job.
/// </summary>
public sealed class KafkaKillTests
{
    private const int Jobs = 6_000;
    private const int Partitions = 8;

    // Every 100th job fails permanently, so dead letters written before and after the kill are reconciled too.
    private const int PermanentEvery = 100;

    // Most jobs are quick; every tenth is slower than the commit interval, so at the kill there are finished jobs
    // held back from the commit by slower ones before them: a commit that passed an unfinished job would lose it.
    private const int QuickWorkMilliseconds = 3;
    private const int SlowWorkMilliseconds = 300;

    [Fact]
    public async Task DispatcherProcess_KilledWithSigkill_ItsPartitionsAreTakenOver_AndNoJobIsLost()
    {
        await using var scenario = KafkaScenario.Start(Partitions);
        using var a = scenario.StartDispatcher("a");
        using var b = scenario.StartDispatcher("b");
        await scenario.WaitReadyAndSplitAsync(a, b);

        var jobs = await scenario.EnqueueAsync(Enumerable.Range(0, Jobs).Select(i => new TestJobParams(
            i,
            WorkMilliseconds: i % 10 == 5 ? SlowWorkMilliseconds : QuickWorkMilliseconds,
            Permanent: IsPermanent(i))).ToList());
        scenario.Phase("enqueued");

        // Kill a once a quarter of the jobs are delivered (and a has delivered some of them).
        var ownedByA = await scenario.KillMidRunAsync(a, b, killAt: Jobs / 4, Jobs);
        var deliveredByA = await KafkaScenario.ReadDeliveriesAsync(a);
        var committedAtKill = await scenario.CommittedAsync([.. ownedByA]);
        var deliveredAtKill = (await KafkaScenario.ReadDeliveriesAsync(a, b)).Count;

        // b takes a's partitions once the group notices a is gone, then drains everything.
        await scenario.WaitForTakeOverAsync(b);
        await scenario.WaitEndedAsync(jobs, b, a, b);
        await b.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        var deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
        var letters = await scenario.ReadDeadLettersAsync();
        var deliveryCounts = deliveries.GroupBy(d => d.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var letterCounts = letters.GroupBy(l => l.JobId ?? "(no job id)", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = new List<string>();
        var wrongEnd = new List<string>();
        var duplicates = new List<string>();
        var duplicatesNotExplained = new List<string>();
        var atRisk = 0;
        for (var index = 0; index < jobs.Count; index++)
        {
            var job = jobs[index];
            var delivered = deliveryCounts.GetValueOrDefault(job.Id);
            var lettered = letterCounts.GetValueOrDefault(job.Id);
            var partition = job.Position.TopicPartition;
            var pastCommit = ownedByA.Contains(partition) && job.Position.Offset >= committedAtKill.GetValueOrDefault(partition);
            if (pastCommit && deliveredByA.Any(d => d.JobId == job.Id))
            {
                atRisk++;
            }
            if (delivered + lettered == 0)
            {
                lost.Add($"{job.Id} at {job.Position}");
            }
            else if (IsPermanent(index) ? delivered > 0 || lettered == 0 : lettered > 0)
            {
                wrongEnd.Add($"job {index} at {job.Position} ({(IsPermanent(index) ? "fails permanently" : "succeeds")}): delivered {delivered}×, dead-lettered {lettered}×");
            }
            if (delivered + lettered > 1)
            {
                var entry = $"job {index} at {job.Position} (a committed {committedAtKill.GetValueOrDefault(partition)} before it died; "
                    + $"{(ownedByA.Contains(partition) ? "a's" : "b's")} partition): delivered {delivered}×, dead-lettered {lettered}×";
                duplicates.Add(entry);
                if (!pastCommit)
                {
                    duplicatesNotExplained.Add(entry);
                }
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {Jobs} jobs were neither delivered nor dead-lettered, e.g. {string.Join(", ", lost.Take(10))}");
        Assert.True(wrongEnd.Count == 0, $"{wrongEnd.Count} jobs ended in the wrong state:\n  " + string.Join("\n  ", wrongEnd.Take(10)));
        Assert.All(letters, l => Assert.Equal(FailureClass.Permanent, l.Class));
        Assert.True(duplicatesNotExplained.Count == 0,
            "jobs ran twice although the killed member had committed past them (or they were never its):\n  " + string.Join("\n  ", duplicatesNotExplained.Take(10)));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"kill -9 of a after {deliveredAtKill} of {Jobs} jobs delivered ({deliveredByA.Count} by a); a owned {string.Join(", ", ownedByA.OrderBy(p => p.ToString(), StringComparer.Ordinal))}; "
            + $"committed then: {string.Join(", ", committedAtKill.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal).Select(kv => $"{kv.Key}@{kv.Value}"))}.\n"
            + $"{atRisk} jobs a had delivered were past its commit (at risk of a second run). After the take-over: {deliveries.Count} deliveries, "
            + $"{letters.Count} dead letters, {lost.Count} lost, {duplicates.Count} jobs ended more than once (all past a's commit).\n"
            + string.Join("\n", duplicates.Take(5)) + "\n" + scenario.Phases);
    }

    private static bool IsPermanent(int index) => index % PermanentEvery == 0;
}
