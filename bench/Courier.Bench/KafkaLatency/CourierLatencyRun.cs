using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// Courier's side: a <see cref="CourierClient"/> enqueues the paced jobs on a Kafka job log with the case's profile,
/// and a <see cref="Dispatcher"/> on the same log runs them through the in-process no-op handler, which records the
/// start delay from the enqueue timestamp in the job's params.
/// </summary>
internal sealed class CourierLatencyRun : IAsyncDisposable
{
    private readonly KafkaJobLog _log;
    private readonly CourierTelemetry _telemetry = new();
    private readonly CourierClient _client;
    private readonly Dispatcher _dispatcher;
    private readonly string _jobType;

    public CourierLatencyRun(KafkaDevCluster cluster, CourierOptions courierOptions, string jobType, LatencyCase tuning, int concurrency, JobProbe probe)
    {
        _jobType = jobType;
        var options = cluster.CreateJobLogOptions();
        options.Profile = tuning.Profile;
        // Classic groups, like the bare consumer; fetch.queue.backoff.ms is Courier.Kafka's own default (10) written out.
        options.Consumer = new ConsumerConfig { GroupProtocol = GroupProtocol.Classic, FetchQueueBackoffMs = 10 };
        if (tuning.Explicit)
        {
            options.Consumer.FetchWaitMaxMs = tuning.FetchWaitMaxMs;
            options.Producer = new ProducerConfig { LingerMs = tuning.LingerMs };
        }
        _log = new KafkaJobLog(options);
        _client = new CourierClient(_log, courierOptions, _telemetry, TimeProvider.System);
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CourierNoopHandler(probe));
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "bench-" + jobType,
            Rules = { new JobRule { Type = jobType, Concurrency = concurrency } },
        };
        _dispatcher = new Dispatcher(_log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, _telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _dispatcher.StartAsync(cancellationToken);

    /// <summary>Enqueues <paramref name="count"/> jobs from sequence <paramref name="first"/>: one call, not awaited here.</summary>
    public Task Send(int first, int count, long stamp)
    {
        if (count == 1)
        {
            return _client.EnqueueAsync(Request(first, first, stamp)).AsTask();
        }
        var batch = new List<JobRequest>(count);
        for (var i = 0; i < count; i++)
        {
            batch.Add(Request(first < 0 ? -1 : first + i, first + i, stamp));
        }
        return _client.EnqueueBatchAsync(batch).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await _dispatcher.StopAsync(CancellationToken.None);
        await _dispatcher.DisposeAsync();
        _client.Dispose();
        _telemetry.Dispose();
        await _log.DisposeAsync();
    }

    private JobRequest Request(int sequence, int key, long stamp) => new()
    {
        Type = _jobType,
        // Many keys, so the records spread over every partition.
        Database = $"wiki{(uint)key % 97}",
        Params = new NoopParams(sequence, stamp),
    };
}
