using System.Text;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// A replayed dead letter (a copy of its original event with <see cref="CourierHeaders.ReplayOf"/>) is an operator's
/// request to run the job again: the admission checks must not take it for a duplicate of its own original, nor for a
/// job too old to run, on every engine.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Replay_OfADeadLetter_RunsDespiteItsOriginalsRememberedEventId_AndARereadOfTheCopyIsADuplicate()
    {
        var broken = true;
        await using var h = CreateHarness(Options(Rule("alpha", limit: 0, concurrency: 1)),
            (_, _, _) => ValueTask.FromResult(Volatile.Read(ref broken) ? JobResult.Fail("broken until the fix") : JobResult.Success),
            partitions: 1);
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var job = await h.Client.EnqueueAsync(Plain("once"), Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(job.Id, letter.JobId);

        // The fix ships; the dead letter is replayed (the same bytes, as `courier dlq replay` appends them) — and the
        // same copy is read a second time, as after a crash before its offset was committed.
        Volatile.Write(ref broken, false);
        await ProduceReplayAsync(h, letter, times: 2);
        await h.WaitUntilAsync(() => h.Dispatcher.GetStats().Single().Ended == 3, "the copy and its re-read ended");
        await h.WaitIdleAsync();

        Assert.Equal([job.Id, job.Id], h.Executions.Select(e => e.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((3L, 1L, 1L, 1L, 0L), (stats.Started, stats.DeadLettered, stats.Succeeded, stats.Deduplicated, stats.Pending));
    }

    [Fact]
    public async Task Replay_OfAJobOlderThanItsClaimTtl_CountsItsAgeFromTheReplay()
    {
        var rule = Rule("alpha", limit: 0, concurrency: 1);
        rule.ClaimTtl = TimeSpan.FromMinutes(30);
        await using var h = CreateHarness(Options(rule), partitions: 1);
        // Made an hour before the dispatcher reaches it.
        var behind = new JumpClock();
        behind.Jump(TimeSpan.FromHours(-1));
        using var late = new CourierClient(h.Log, h.CourierOptions, h.Telemetry, behind);
        var job = await late.EnqueueAsync(Plain("an hour old"), Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();
        Assert.Equal(1, h.Dispatcher.GetStats().Single().Abandoned);

        // Its event replayed now: as fresh as the replay, so it runs.
        var original = Assert.Single(await TopicReader.ReadAllAsync(h.Log, h.JobTopic("alpha")));
        using (var producer = h.Log.CreateProducer())
        {
            await producer.ProduceAsync([new OutgoingRecord(h.JobTopic("alpha"), original.Key, original.Value,
                [new LogHeader(CourierHeaders.ReplayOf, Encoding.UTF8.GetBytes("courier.error:0:0"))])], Ct);
        }
        await h.WaitUntilAsync(() => h.Dispatcher.GetStats().Single().Ended == 2, "the replayed copy ended");

        Assert.Equal([job.Id], h.Executions.Select(e => e.Id));
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal((2L, 1L, 1L, 0L), (stats.Started, stats.Abandoned, stats.Succeeded, stats.Pending));
    }

    /// <summary>Appends <paramref name="times"/> copies of a dead letter's original event to its job topic, as a replay does.</summary>
    private static async Task ProduceReplayAsync(DispatcherHarness h, DeadLetter letter, int times)
    {
        var replayOf = Encoding.UTF8.GetBytes($"{letter.Position.Topic}:{letter.Position.Partition}:{letter.Position.Offset}");
        using var producer = h.Log.CreateProducer();
        await producer.ProduceAsync(Enumerable.Range(0, times)
            .Select(_ => new OutgoingRecord(letter.OriginTopic ?? h.JobTopic("alpha"), letter.Key, letter.OriginalEvent,
                [new LogHeader(CourierHeaders.ReplayOf, replayOf)]))
            .ToList(), Ct);
    }
}
