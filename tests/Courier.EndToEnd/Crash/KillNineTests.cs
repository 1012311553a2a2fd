using Courier.EndToEnd.Support;
using Courier.Server.Demo;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Crash;

/// <summary>
/// A dispatcher killed with SIGKILL mid-run loses nothing: `courier up` runs as a child process on a data
/// directory, is killed while it delivers demo <c>massMessage</c> jobs, and is started again on the same data. Every
/// job must then be delivered or dead-lettered. A job may be delivered twice only if its offset was not committed
/// at the kill (it was in flight, or done but not yet committed): the commit never passes an unfinished job.
/// </summary>
public sealed class KillNineTests
{
    private const int Jobs = 5_000;
    private const string JobType = "massMessage";

    // Every 100th job fails permanently, so dead letters written before and after the kill are reconciled too.
    private const int PermanentEvery = 100;

    // Simulated work per delivery. Most jobs are quick; every tenth is slower than the dispatcher's commit interval,
    // so at the kill there are jobs in flight across several commits: a commit that passed an unfinished job would
    // lose it here. The first run takes seconds, so the kill lands mid-delivery whatever the machine's speed.
    private const int QuickWorkMilliseconds = 10;
    private const int SlowWorkMilliseconds = 400;

    [Fact]
    public async Task CourierUp_LosesNoJob_WhenKilledWithSigkillWhileDelivering()
    {
        var ct = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var courierOptions = new CourierOptions();
        var dispatcherDefaults = new DispatcherOptions();
        var topic = courierOptions.Topics.JobTopic(JobType);
        string[] up = ["up", "--data", data.Path, "--no-demo", "--exit-when-idle", "--json", "--metrics-port", "0"];

        await using var log = EmbeddedLog.Open(data.Path);
        var jobs = new List<EnqueuedJob>(Jobs);
        using (var telemetry = new CourierTelemetry())
        using (var client = new CourierClient(log, courierOptions, telemetry, TimeProvider.System))
        {
            foreach (var batch in Enumerable.Range(0, Jobs).Chunk(500))
            {
                jobs.AddRange(await client.EnqueueBatchAsync(batch.Select(i => new JobRequest
                {
                    Type = JobType,
                    Database = $"wiki{i % 5}",
                    Params = new MassMessageParams
                    {
                        Title = new PageTitle(3, $"E2E_recipient_{i}"),
                        Recipient = $"E2E recipient {i}",
                        Subject = $"Delivery {i}",
                        Message = "Courier end-to-end test message.",
                        Sender = "Courier.EndToEnd",
                        Simulate = new DemoSimulation
                        {
                            WorkMilliseconds = i % 10 == 5 ? SlowWorkMilliseconds : QuickWorkMilliseconds,
                            Permanent = i % PermanentEvery == 0 ? "e2e: recipient opted out" : null,
                        },
                    },
                }).ToList(), ct));
            }
        }

        // First run: kill it once a fifth of the jobs are delivered.
        var killAt = Jobs / 5;
        IReadOnlyDictionary<string, int> deliveredAtKill;
        string firstRunOutput;
        using (var first = ChildProcess.Start("Courier.Cli.dll", up))
        {
            var delivered = 0;
            await Eventually.TrueAsync(
                async () =>
                {
                    Assert.False(first.HasExited, $"courier up exited before the kill, after {delivered} deliveries. Output:\n{first.Tail()}");
                    delivered = (await InboxReader.ReadDeliveriesAsync(data.Path, ct)).Count;
                    return delivered >= killAt;
                },
                "enough jobs were delivered to kill courier up mid-run",
                TimeSpan.FromSeconds(90),
                () => ValueTask.FromResult($"{delivered} of {Jobs} jobs delivered, waiting for {killAt}. Output:\n{first.Tail()}"),
                TimeSpan.FromMilliseconds(10));
            first.KillHard();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            firstRunOutput = first.Tail(10);
            deliveredAtKill = await InboxReader.ReadDeliveriesAsync(data.Path, ct);
        }
        Assert.True(deliveredAtKill.Count < Jobs,
            $"all {Jobs} jobs were delivered before the kill landed, so the kill proved nothing: raise the job count");

        var partitions = await TopicReader.PartitionsAsync(log, topic);
        var committedAtKill = await log.GetCommittedOffsetsAsync(dispatcherDefaults.GroupId, partitions, ct);

        // Second run on the same data: it must pick up from the committed offsets and drain everything.
        string secondRunOutput;
        using (var second = ChildProcess.Start("Courier.Cli.dll", up))
        {
            var exitCode = await second.WaitForExitAsync(TimeSpan.FromSeconds(120));
            secondRunOutput = second.Tail(10);
            Assert.True(exitCode == 0, $"courier up (restart) exited with {exitCode}. Output:\n{second.Tail()}");
        }

        var deliveries = await InboxReader.ReadDeliveriesAsync(data.Path, ct);
        var letters = (await TopicReader.ReadDeadLettersAsync(log, courierOptions)).Where(l => l.JobType == JobType).ToList();
        var lettersById = letters.GroupBy(l => l.JobId ?? "(no job id)", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var lost = new List<EnqueuedJob>();
        var wrongEnd = new List<string>();
        var duplicates = new List<EnqueuedJob>();
        var duplicatesBelowCommit = new List<string>();
        var window = 0;
        for (var index = 0; index < jobs.Count; index++)
        {
            var job = jobs[index];
            var count = deliveries.GetValueOrDefault(job.Id);
            var lettered = lettersById.GetValueOrDefault(job.Id);
            var committed = committedAtKill.GetValueOrDefault(job.Position.TopicPartition);
            var uncommitted = job.Position.Offset >= committed;
            if (deliveredAtKill.ContainsKey(job.Id) && uncommitted)
            {
                window++;
            }
            if (count == 0 && lettered == 0)
            {
                lost.Add(job);
            }
            else if (IsPermanent(index) ? count > 0 || lettered == 0 : lettered > 0)
            {
                wrongEnd.Add($"{job.Id} (job {index}, {(IsPermanent(index) ? "fails permanently" : "succeeds")}): delivered {count}×, dead-lettered {lettered}×");
            }
            if (count + lettered > 1)
            {
                duplicates.Add(job);
                if (!uncommitted)
                {
                    duplicatesBelowCommit.Add($"{job.Id} at {job.Position} (committed {committed}) delivered {count}×, dead-lettered {lettered}×");
                }
            }
        }

        var undecodable = letters.Where(l => l.Class == FailureClass.Decode).ToList();
        Assert.True(undecodable.Count == 0,
            $"{undecodable.Count} massMessage jobs could not be decoded by the demo handler (do the test's params match it?): {undecodable.FirstOrDefault()?.Message}");
        Assert.True(lost.Count == 0,
            $"{lost.Count} of {Jobs} jobs were neither delivered nor dead-lettered after the restart, e.g. "
            + string.Join(", ", lost.Take(10).Select(j => $"{j.Id} at {j.Position}")));
        Assert.True(wrongEnd.Count == 0, $"{wrongEnd.Count} jobs ended in the wrong state:\n  " + string.Join("\n  ", wrongEnd.Take(10)));
        Assert.All(letters, l => Assert.Equal(FailureClass.Permanent, l.Class));
        Assert.True(duplicatesBelowCommit.Count == 0,
            "jobs ran again although their offset was committed before the kill:\n  " + string.Join("\n  ", duplicatesBelowCommit.Take(10)));

        // After the restart drained and exited, every partition is committed to its end.
        var committedAfter = await log.GetCommittedOffsetsAsync(dispatcherDefaults.GroupId, partitions, ct);
        foreach (var partition in partitions)
        {
            var high = (await log.GetWatermarksAsync(partition, ct)).High;
            Assert.True(committedAfter.GetValueOrDefault(partition) == high,
                $"{partition}: committed {committedAfter.GetValueOrDefault(partition)} after the restart, high watermark {high}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"kill -9 after {deliveredAtKill.Count} of {Jobs} jobs delivered; {committedAtKill.Values.Sum()} offsets committed at the kill; "
            + $"{window} delivered jobs were past the commit (in flight or done but uncommitted) and were at risk of a second run.\n"
            + $"After the restart: {deliveries.Count} delivered, {letters.Count} dead-lettered, {lost.Count} lost, "
            + $"{duplicates.Count} delivered more than once (the demo rule's concurrency is {DemoRules.Concurrency}, commit interval {dispatcherDefaults.CommitInterval.TotalMilliseconds:0} ms).\n"
            + $"First run, last lines:\n{firstRunOutput}\nRestart, last lines:\n{secondRunOutput}");
    }

    private static bool IsPermanent(int index) => index % PermanentEvery == 0;
}
