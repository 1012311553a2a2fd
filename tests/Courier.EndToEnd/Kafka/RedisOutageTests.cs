using System.Text.RegularExpressions;
using Courier.TestDispatcher;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// The redis-server two dispatcher processes share goes down mid-run: they keep running jobs (failing open: duplicates
/// would be allowed), count the failed store operations in <c>courier.state.errors</c>, and lose nothing; once Redis is
/// back they carry on.
/// </summary>
public sealed partial class RedisOutageTests
{
    private const int Jobs = 3_000;
    private const int Partitions = 8;
    private const int WorkMilliseconds = 20;

    // Far more than both members' 2 x 16 jobs in flight when Redis went down: jobs that started after it did.
    private const int DeliveredWhileDown = 300;

    [Fact]
    public async Task RedisDown_DispatchersKeepRunningJobs_CountStateErrors_AndLoseNone()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var scenario = KafkaScenario.Start(Partitions);
        using var a = scenario.StartDispatcher("a", redis);
        using var b = scenario.StartDispatcher("b", redis);
        await scenario.WaitReadyAndSplitAsync(a, b);

        var jobs = await scenario.EnqueueAsync(Enumerable.Range(0, Jobs).Select(i => new TestJobParams(i, WorkMilliseconds)).ToList(), deduplicate: true);
        scenario.Phase("enqueued");
        await WaitDeliveredAsync(Jobs / 10, a, b);
        await redis.StopAsync();
        var deliveredAtStop = (await KafkaScenario.ReadDeliveriesAsync(a, b)).Count;
        scenario.Phase("redis stopped");

        await WaitDeliveredAsync(deliveredAtStop + DeliveredWhileDown, a, b);
        var deliveredWhileDown = (await KafkaScenario.ReadDeliveriesAsync(a, b)).Count - deliveredAtStop;
        Assert.True(deliveredAtStop + deliveredWhileDown < Jobs, "every job was delivered before Redis was back: raise the job count");
        await redis.RestartAsync();
        scenario.Phase("redis restarted");

        await scenario.WaitEndedAsync(jobs, b, a, b);
        await a.StopAsync(TimeSpan.FromSeconds(30));
        await b.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        var delivered = (await KafkaScenario.ReadDeliveriesAsync(a, b)).Select(d => d.JobId).ToHashSet(StringComparer.Ordinal);
        var lost = jobs.Where(j => !delivered.Contains(j.Id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {Jobs} jobs were never delivered, e.g. {string.Join(", ", lost.Take(10))}");
        var errors = StateErrors(a) + StateErrors(b);
        Assert.True(StateErrors(a) > 0 && StateErrors(b) > 0,
            $"courier.state.errors: a {StateErrors(a)}, b {StateErrors(b)}; both ran jobs while Redis was down, so both should have failed open and counted it");

        // Each failure is logged as a warning too (what an operator sees beside the CourierStateStoreErrors alert).
        Assert.All(new[] { a, b }, m => Assert.NotEmpty(m.LinesMatching(FailedOpenLine())));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Redis stopped after {deliveredAtStop} of {Jobs} jobs; {deliveredWhileDown} more delivered before it was restarted; "
            + $"{errors} store operations failed open (a {StateErrors(a)}, b {StateErrors(b)}); {lost.Count} lost.\n{scenario.Phases}");
    }

    [GeneratedRegex(@"State store redis failed on \w+ for job .*failed open, the job runs")]
    private static partial Regex FailedOpenLine();

    private static double StateErrors(DispatcherProcess member) => member.MetricTotal("courier.state.errors", "store=redis");

    private static async Task WaitDeliveredAsync(int count, params DispatcherProcess[] members)
    {
        var delivered = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.All(members, m => Assert.False(m.HasExited, $"{m.Member} exited. Output:\n{m.Tail()}"));
                delivered = (await KafkaScenario.ReadDeliveriesAsync(members)).Count;
                return delivered >= count;
            },
            $"{count} jobs were delivered",
            TimeSpan.FromSeconds(90),
            () => ValueTask.FromResult($"{delivered} delivered, waiting for {count}\n" + string.Join("\n", members.Select(m => m.Tail(15)))),
            TimeSpan.FromMilliseconds(10));
    }
}
