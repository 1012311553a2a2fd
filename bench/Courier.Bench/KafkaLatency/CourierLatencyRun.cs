using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// Courier's side: a <see cref="CourierClient"/> enqueues the paced jobs on a Kafka job log with the case's profile,
/// and a <see cref="Dispatcher"/> on the same log runs them through the in-process no-op handler, which records the
/// start delay from the enqueue timestamp in the job's params. Without the dispatcher (<c>dispatcher: false</c>), the
/// job log's own consumer in a bare loop records it instead when <c>Consume</c> returns the record: the engine's
/// share of the latency, which locates a gap between Courier and the bare pair.
/// </summary>
internal sealed class CourierLatencyRun : IAsyncDisposable
{
    private readonly KafkaJobLog _log;
    private readonly CourierTelemetry _telemetry = new();
    private readonly CourierClient _client;
    private readonly Dispatcher? _dispatcher;
    private readonly string _jobType;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _loop;

    public CourierLatencyRun(KafkaDevCluster cluster, CourierOptions courierOptions, string jobType, LatencyCase tuning, int concurrency, JobProbe probe,
        bool dispatcher = true)
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
        if (!dispatcher)
        {
            var topic = courierOptions.Topics.JobTopic(jobType);
            _loop = Task.Factory.StartNew(() => JobLogLoop(topic, probe), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return;
        }
        var registry = new JobHandlerRegistry(courierOptions).Add(jobType, new CourierNoopHandler(probe));
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "bench-" + jobType,
            Rules = { new JobRule { Type = jobType, Concurrency = concurrency } },
        };
        _dispatcher = new Dispatcher(_log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, _telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _dispatcher?.StartAsync(cancellationToken) ?? Task.CompletedTask;

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
        if (_dispatcher is not null)
        {
            await _dispatcher.StopAsync(CancellationToken.None);
            await _dispatcher.DisposeAsync();
        }
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
        _client.Dispose();
        _telemetry.Dispose();
        await _log.DisposeAsync();
    }

    private void JobLogLoop(string topic, JobProbe probe)
    {
        using var consumer = _log.CreateConsumer(new JobLogConsumerOptions { GroupId = "bench-" + _jobType });
        consumer.Subscribe([topic]);
        while (!_stop.IsCancellationRequested)
        {
            LogRecord? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(100), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (record is null)
            {
                continue;
            }
            // What the dispatcher's handler gets from the params: the sequence and the enqueue timestamp.
            using var json = JsonDocument.Parse(record.Value);
            var parameters = json.RootElement.GetProperty("params");
            probe.OnStart(parameters.GetProperty("sequence").GetInt64(), parameters.GetProperty("enqueueTimestamp").GetInt64());
        }
        consumer.Close();
    }

    private JobRequest Request(int sequence, int key, long stamp) => new()
    {
        Type = _jobType,
        // Many keys, so the records spread over every partition.
        Database = $"wiki{(uint)key % 97}",
        Params = new NoopParams(sequence, stamp),
    };
}
