using System.Text;
using Courier.Jobs;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// Replayed copies (records with <see cref="CourierHeaders.ReplayOf"/>): the dispatcher keeps how each ended
/// (<see cref="Dispatcher.GetReplayOutcome"/>, read by the admin API's replay status), and a copy's retries and dead
/// letter carry the replayed position on, on every engine.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task ReplayedCopies_EndAsKept_ThroughRetries_AndTheirDeadLettersNameTheReplayedPosition()
    {
        await using var h = CreateHarness(Options(Rule("alpha", limit: 1)));
        var codec = new JobEventCodec(h.CourierOptions);
        OutgoingRecord Copy(TestParams p, string? replayOf)
        {
            var jobEvent = h.Client.BuildEvent(new JobRequest { Type = "alpha", Database = "testwiki", Params = p });
            return new OutgoingRecord(h.JobTopic("alpha"), "testwiki", codec.Encode(jobEvent),
                replayOf is null ? [] : [new LogHeader(CourierHeaders.ReplayOf, Encoding.UTF8.GetBytes(replayOf))]);
        }
        using (var producer = h.Log.CreateProducer())
        {
            await producer.ProduceAsync(
            [
                Copy(new TestParams("fine"), "courier.error:0:1"),
                Copy(new TestParams("second try", FailAttempts: 1), "courier.error:0:2"),
                Copy(new TestParams("still broken", Fail: "still broken"), "courier.error:1:3"),
                Copy(new TestParams("not a replay", Fail: "broken"), null),
            ], Ct);
        }
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal("succeeded", h.Dispatcher.GetReplayOutcome("courier.error:0:1")?.Outcome);
        Assert.Equal("succeeded", h.Dispatcher.GetReplayOutcome("courier.error:0:2")?.Outcome); // after a retry, not "retried"
        Assert.Equal("dead_lettered", h.Dispatcher.GetReplayOutcome("courier.error:1:3")?.Outcome);
        Assert.Null(h.Dispatcher.GetReplayOutcome("courier.error:9:9"));
        var deadLetters = await TopicReader.ReadAllAsync(h.Log, h.CourierOptions.Topics.ErrorTopic);
        Assert.Equal(2, deadLetters.Count);
        var again = Assert.Single(deadLetters, r => r.GetHeader(CourierHeaders.ReplayOf) is not null);
        Assert.Equal("courier.error:1:3", Encoding.UTF8.GetString(again.GetHeader(CourierHeaders.ReplayOf)!));
        Assert.Equal("still broken", DeadLetter.FromRecord(again).Message);
    }
}
