using Courier.TestDispatcher;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// <see cref="KafkaKillTests"/> with the two dispatcher processes sharing one redis-server: after the kill -9, the
/// records the killed member had finished but not committed are read again by the other, and deduplicated by event id
/// instead of run again. Only a job whose handler had finished while its outcome was not yet marked in Redis (one of
/// the killed member's in-flight jobs, so at most its concurrency) can run twice; nothing is lost.
/// </summary>
public sealed class RedisKillTests
{
    private const int Jobs = 3_000;
    private const int Partitions = 8;
    private const int Concurrency = 8;

    // As in KafkaKillTests: every tenth job is slower than the commit interval, so at the kill the killed member has
    // finished many jobs its commit has not passed yet, held back by slower ones before them.
    private const int QuickWorkMilliseconds = 3;
    private const int SlowWorkMilliseconds = 300;

    [Fact]
    public async Task DispatcherProcess_KilledWithSigkill_SharingRedis_RunsAtMostItsInFlightJobsTwice_AndLosesNone()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var scenario = KafkaScenario.Start(Partitions);
        string[] concurrency = ["--concurrency", Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        using var a = scenario.StartDispatcher("a", redis, concurrency);
        using var b = scenario.StartDispatcher("b", redis, concurrency);
        await scenario.WaitReadyAndSplitAsync(a, b);

        var jobs = await scenario.EnqueueAsync(Enumerable.Range(0, Jobs).Select(i => new TestJobParams(
            i, WorkMilliseconds: i % 10 == 5 ? SlowWorkMilliseconds : QuickWorkMilliseconds)).ToList(), deduplicate: true);
        scenario.Phase("enqueued");

        var ownedByA = await scenario.KillMidRunAsync(a, b, killAt: Jobs / 4, Jobs);
        var deliveredByA = (await KafkaScenario.ReadDeliveriesAsync(a)).Select(d => d.JobId).ToHashSet(StringComparer.Ordinal);
        var committedAtKill = await scenario.CommittedAsync([.. ownedByA]);
        await scenario.WaitForTakeOverAsync(b);
        await scenario.WaitEndedAsync(jobs, b, a, b);
        await b.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        var deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
        var counts = deliveries.GroupBy(d => d.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        bool PastCommit(EnqueuedJob job) => ownedByA.Contains(job.Position.TopicPartition)
            && job.Position.Offset >= committedAtKill.GetValueOrDefault(job.Position.TopicPartition);
        // The jobs the old test allowed to run twice: delivered by a, at or past a's commit when it died.
        var atRisk = jobs.Count(j => PastCommit(j) && deliveredByA.Contains(j.Id));
        var lost = jobs.Where(j => !counts.ContainsKey(j.Id)).Select(j => $"{j.Id} at {j.Position}").ToList();
        var twice = jobs.Where(j => counts.GetValueOrDefault(j.Id) > 1)
            .Select(j => $"{j.Id} at {j.Position} (a committed {committedAtKill.GetValueOrDefault(j.Position.TopicPartition)}): {counts[j.Id]}×").ToList();
        var deduplicated = b.MetricTotal("courier.jobs.outcomes", "outcome=deduplicated");

        Assert.True(lost.Count == 0, $"{lost.Count} of {Jobs} jobs were never delivered, e.g. {string.Join(", ", lost.Take(10))}");
        Assert.True(atRisk > Concurrency,
            $"only {atRisk} jobs a had delivered were past its commit, not more than its {Concurrency} in flight: the kill proved nothing; raise the job count or slow the jobs");
        Assert.True(twice.Count <= Concurrency,
            $"{twice.Count} jobs ran twice, more than a's {Concurrency} in flight:\n  " + string.Join("\n  ", twice.Take(20)));
        Assert.All(jobs.Where(j => counts.GetValueOrDefault(j.Id) > 1), j => Assert.True(PastCommit(j), $"{j.Id} ran twice although a had committed past it"));
        Assert.True(deduplicated > 0, $"b deduplicated none of a's re-read records although {atRisk} were past a's commit");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"kill -9 of a (concurrency {Concurrency}) with {deliveredByA.Count} jobs delivered by a; {atRisk} of them past its commit "
            + $"(without a shared store each could run again); after the take-over b deduplicated {deduplicated}, {twice.Count} ran twice, "
            + $"{lost.Count} lost.\n{string.Join("\n", twice)}\n{scenario.Phases}");
    }
}
