using System.Diagnostics;
using System.Globalization;
using System.Text;
using Courier.Ledger;
using Courier.Server.Audit;

namespace Courier.Bench.Audit;

/// <summary>
/// <c>courier audit</c> at scale: <see cref="BenchOptions.AuditJobs"/> job records of one type over four partitions
/// on the embedded log, with a succeeded ledger entry each except every 1,000th (in retry: a retry record not yet
/// consumed) and every 10,000th (lost); the group committed to the end. The records are written directly in big
/// batches (the dispatcher's work is not what is measured), then <see cref="LedgerAudit"/> runs <see cref="Rounds"/>
/// times while a sampler records the managed heap and the working set.
/// </summary>
internal sealed class AuditBench(BenchOptions options, Action<string> log)
{
    private const string Type = "auditBench";
    private const int Partitions = 4;
    private const int WriteBatch = 10_000;
    private const int Rounds = 3;

    public async Task<AuditResult> RunAsync(CancellationToken cancellationToken)
    {
        var jobs = options.AuditJobs;
        var courierOptions = new CourierOptions();
        var names = courierOptions.Topics;
        var group = new DispatcherOptions().GroupId;
        using var dir = new Courier.Testing.TempDirectory();
        await using var jobLog = SqliteJobLog.Open(dir.File("log.db"));
        var jobTopic = names.JobTopic(Type);
        var retryTopic = names.RetryTopic(jobTopic, new RetryTier(TimeSpan.FromMinutes(1)));
        await jobLog.EnsureTopicAsync(jobTopic, Partitions, cancellationToken);
        await jobLog.EnsureTopicAsync(retryTopic, 1, cancellationToken);
        await jobLog.EnsureTopicAsync(names.OutcomeLedgerTopic, Partitions, cancellationToken);

        log($"audit: writing {jobs:N0} job records and their ledger entries");
        var write = Stopwatch.StartNew();
        long lost = 0, inRetry = 0;
        using (var producer = jobLog.CreateProducer())
        {
            for (var start = 0; start < jobs; start += WriteBatch)
            {
                var count = Math.Min(WriteBatch, jobs - start);
                var positions = await producer.ProduceAsync(
                    [.. Enumerable.Range(start, count).Select(i => new OutgoingRecord(jobTopic, null, Event(i), Partition: i % Partitions))], cancellationToken);
                var follow = new List<OutgoingRecord>(count);
                for (var k = 0; k < count; k++)
                {
                    var i = start + k;
                    if (i % 10_000 == 9_999)
                    {
                        lost++;
                    }
                    else if (i % 1_000 == 999)
                    {
                        inRetry++;
                        follow.Add(new OutgoingRecord(retryTopic, null, Event(i), Origin(positions[k]), Partition: 0));
                    }
                    else
                    {
                        follow.Add(Entry(names, positions[k], i));
                    }
                }
                await producer.ProduceAsync(follow, cancellationToken);
            }
        }
        var writePerSecond = jobs / write.Elapsed.TotalSeconds;
        using (var committer = jobLog.CreateConsumer(new JobLogConsumerOptions { GroupId = group }))
        {
            var ends = Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(jobTopic, p, (jobs - p + Partitions - 1) / Partitions)).ToList();
            committer.Assign([.. ends.Select(e => e with { Offset = 0 })]);
            committer.Commit(ends);
            committer.Close();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var baselineLive = LiveAfterLastGc();
        long peakHeap = 0, peakLive = 0, peakWorkingSet = 0;
        using var process = Process.GetCurrentProcess();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakLive = Math.Max(peakLive, LiveAfterLastGc());
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);
        var seconds = new List<double>();
        long allocated = 0;
        AuditReport? report = null;
        for (var round = 0; round < Rounds; round++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            report = await LedgerAudit.RunAsync(jobLog, courierOptions, group, AuditRange.All, cancellationToken);
            seconds.Add(watch.Elapsed.TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            log($"audit: round {round + 1} {seconds[^1]:N1} s, {report.Total.Accepted:N0} accepted, {report.Total.Unaccounted:N0} unaccounted");
        }
        await sampling.CancelAsync();
        await sampler;
        var verified = report!.Total.Accepted == jobs && report.Total.Unaccounted == lost && report.Total.InRetry == inRetry
            && report.Total.Terminal[LedgerOutcomes.Succeeded] == jobs - lost - inRetry;
        seconds.Sort();
        return new AuditResult
        {
            Jobs = jobs,
            WritePerSecond = writePerSecond,
            AuditSeconds = seconds,
            PeakHeapMiB = Math.Max(0, peakHeap - baseline) / 1048576.0,
            PeakLiveMiB = Math.Max(0, peakLive - baselineLive) / 1048576.0,
            PeakWorkingSetMiB = peakWorkingSet / 1048576.0,
            AllocatedMiB = allocated / 1048576.0,
            Verified = verified,
        };
    }

    // What the heap held after the most recent collection (garbage gone): the audit's live data, at each GC.
    private static long LiveAfterLastGc()
    {
        var info = GC.GetGCMemoryInfo();
        return info.HeapSizeBytes - info.FragmentedBytes;
    }

    private static byte[] Event(int i) => Encoding.UTF8.GetBytes(
        $$$"""{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"bench-{{{i:D7}}}-2f6c1a9e","dt":"2026-12-05T12:00:00Z"},"database":"enwiki","type":"{{{Type}}}","params":{"n":{{{i}}}}}""");

    private static OutgoingRecord Entry(TopicNames names, TopicPartitionOffset origin, int i)
    {
        var entry = new LedgerEntry
        {
            JobId = $"bench-{i:D7}-2f6c1a9e",
            Type = Type,
            Origin = origin,
            Outcome = LedgerOutcomes.Succeeded,
            Release = "bench",
            Dispatcher = "bench:1",
            At = DateTimeOffset.UtcNow,
        };
        return new OutgoingRecord(names.OutcomeLedgerTopic, entry.Key, LedgerEntryCodec.Encode(entry), Partition: origin.Partition);
    }

    private static LogHeader[] Origin(TopicPartitionOffset origin) =>
    [
        new(CourierHeaders.OriginTopic, Encoding.UTF8.GetBytes(origin.Topic)),
        new(CourierHeaders.OriginPartition, Encoding.UTF8.GetBytes(origin.Partition.ToString(CultureInfo.InvariantCulture))),
        new(CourierHeaders.OriginOffset, Encoding.UTF8.GetBytes(origin.Offset.ToString(CultureInfo.InvariantCulture))),
    ];
}
