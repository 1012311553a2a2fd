using System.Globalization;
using Confluent.Kafka;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// The Kafka start-latency section: on one in-process mock cluster (librdkafka's, 3 brokers), jobs are sent at a steady
/// paced rate and timed from enqueue to the start of a no-op handler, for Courier's dispatcher (enqueued with
/// <see cref="CourierClient"/>) and for a bare Confluent.Kafka producer → consumer pair with the same
/// <c>linger.ms</c> and <c>fetch.wait.max.ms</c>, under each tuning (<see cref="LatencyCase"/>) and rate. Each
/// measurement has a fresh topic and consumer group; the two sides of a row run one after the other, alternating which
/// goes first. Both clocks are the same <see cref="System.Diagnostics.Stopwatch"/> in this process.
/// </summary>
internal sealed class KafkaLatencyBench
{
    private const int Brokers = 3;

    private readonly BenchOptions _options;
    private readonly Action<string> _log;

    public KafkaLatencyBench(BenchOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public async Task<KafkaLatencyResult> RunAsync(CancellationToken cancellationToken)
    {
        using var cluster = KafkaDevCluster.Start(brokers: Brokers);
        cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero);
        var courierOptions = new CourierOptions();
        var cases = new List<LatencyCase> { LatencyCase.Default, LatencyCase.LowLatency };
        if (_options.KafkaLatencyReference)
        {
            cases.Add(LatencyCase.Librdkafka);
        }
        var rows = new List<KafkaLatencyRow>();
        foreach (var tuning in cases)
        {
            for (var r = 0; r < _options.KafkaLatencyRates.Count; r++)
            {
                var rate = _options.KafkaLatencyRates[r];
                var seconds = _options.KafkaLatencySeconds[Math.Min(r, _options.KafkaLatencySeconds.Count - 1)];
                var name = $"lat{rows.Count + 1}";
                _log($"kafka-latency: {tuning.Name} ({tuning.Describe()}), {rate:N0} jobs/s for {seconds} s");
                var measurements = new Func<Task<(LatencyResult Latency, double CpuMicrosPerJob)>>[]
                {
                    () => CourierAsync(cluster, courierOptions, "courier-" + name, tuning, rate, seconds, dispatcher: true, cancellationToken),
                    () => CourierAsync(cluster, courierOptions, "joblog-" + name, tuning, rate, seconds, dispatcher: false, cancellationToken),
                    () => BareAsync(cluster, name, tuning, rate, seconds, cancellationToken),
                };
                // Alternate who goes first: neither side always gets the fresher process.
                var results = new (LatencyResult Latency, double CpuMicrosPerJob)[measurements.Length];
                foreach (var i in rows.Count % 2 == 0 ? [0, 1, 2] : new[] { 2, 1, 0 })
                {
                    results[i] = await measurements[i]();
                }
                var (courier, jobLog, bare) = (results[0].Latency, results[1].Latency, results[2].Latency);
                var row = new KafkaLatencyRow
                {
                    Case = tuning.Name, Settings = tuning.Describe(), Rate = rate, Courier = courier, JobLog = jobLog, Bare = bare,
                    CourierCpuMicros = results[0].CpuMicrosPerJob, JobLogCpuMicros = results[1].CpuMicrosPerJob, BareCpuMicros = results[2].CpuMicrosPerJob,
                };
                rows.Add(row);
                _log(string.Create(CultureInfo.InvariantCulture,
                    $"  Courier p50 {courier.P50Ms:N1} p99 {courier.P99Ms:N1} max {courier.MaxMs:N1} ms ({courier.Started:N0}/{courier.Sent:N0}); "
                    + $"job log p99 {jobLog.P99Ms:N1} ms; bare p50 {bare.P50Ms:N1} p99 {bare.P99Ms:N1} max {bare.MaxMs:N1} ms ({bare.Started:N0}/{bare.Sent:N0}); p99 ratio {row.P99Ratio:N2}"));
            }
        }
        return new KafkaLatencyResult
        {
            Partitions = _options.KafkaPartitions,
            Rows = rows,
            Settings = new Dictionary<string, string>
            {
                ["cluster"] = $"librdkafka mock, {Brokers} brokers, in this process (Confluent.Kafka "
                    + typeof(ConsumerConfig).Assembly.GetName().Version?.ToString(3) + $"), {_options.KafkaPartitions} partitions per topic",
                ["sending"] = "open loop: every 1 ms tick sends the jobs due in one call, not awaited (Courier: EnqueueBatchAsync, or EnqueueAsync for one job; bare: Produce)",
                ["timing"] = "Stopwatch timestamp before the enqueue call, carried in the record (Courier: params; bare: a header), against the one taken when the handler starts (bare: when Consume returns it)",
                ["Courier"] = $"Dispatcher on KafkaJobLog (classic group), rule concurrency {_options.CourierConcurrency}, in-process no-op handler, default DispatcherOptions",
                ["job log"] = "Courier's client and KafkaJobLog without the dispatcher: the job log consumer's Consume in a loop on a thread of its own, params parsed",
                ["bare pair"] = "IProducer.Produce (idempotent, acks=all) → IConsumer.Consume on a thread of its own (fetch.queue.backoff.ms=10, as Courier.Kafka's default)",
                ["warm-up"] = $"{LatencyRun.WarmupJobs} jobs per measurement before the paced send, not counted",
            },
        };
    }

    private async Task<(LatencyResult, double)> CourierAsync(KafkaDevCluster cluster, CourierOptions courierOptions, string jobType, LatencyCase tuning,
        int rate, int seconds, bool dispatcher, CancellationToken cancellationToken)
    {
        cluster.CreateTopic(courierOptions.Topics.JobTopic(jobType), _options.KafkaPartitions);
        var total = rate * seconds;
        var probe = new JobProbe(total);
        await using var run = new CourierLatencyRun(cluster, courierOptions, jobType, tuning, _options.CourierConcurrency, probe, dispatcher);
        await run.StartAsync(cancellationToken);
        return await LatencyRun.MeasureAsync(probe, rate, total, Grace, run.Send, cancellationToken);
    }

    private async Task<(LatencyResult, double)> BareAsync(KafkaDevCluster cluster, string name, LatencyCase tuning, int rate, int seconds, CancellationToken cancellationToken)
    {
        var topic = "bare-" + name;
        cluster.CreateTopic(topic, _options.KafkaPartitions);
        var total = rate * seconds;
        var probe = new JobProbe(total);
        await using var pair = new BareLatencyPair(cluster.BootstrapServers, topic, tuning, probe);
        return await LatencyRun.MeasureAsync(probe, rate, total, Grace, pair.Send, cancellationToken);
    }

    private TimeSpan Grace => TimeSpan.FromSeconds(_options.LatencyGraceSeconds);
}
