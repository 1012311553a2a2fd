using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench;

/// <summary>Courier's embedded engine: a SQLite job log, the client, and an in-process dispatcher.</summary>
internal sealed class CourierTarget : IBenchTarget
{
    public const string JobType = "noop";

    // Jobs are spread over several wikis so that every partition of the job topic gets work.
    private static readonly string[] Databases = [.. Enumerable.Range(0, 16).Select(i => $"wiki{i}")];

    private readonly SqliteJobLog _log;
    private readonly CourierTelemetry _telemetry = new();
    private readonly CourierClient _client;
    private readonly Dispatcher _dispatcher;
    private readonly int _batchSize;
    private readonly Dictionary<string, string> _settings;
    private bool _started;

    public CourierTarget(string directory, JobProbe probe, BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var courierOptions = new CourierOptions();
        _log = SqliteJobLog.Open(Path.Combine(directory, "courier.db"));
        _client = new CourierClient(_log, courierOptions, _telemetry, TimeProvider.System);
        var registry = new JobHandlerRegistry(courierOptions).Add(JobType, new CourierNoopHandler(probe));
        var dispatcherOptions = new DispatcherOptions
        {
            Rules = { new JobRule { Type = JobType, Concurrency = options.CourierConcurrency } },
        };
        _dispatcher = new Dispatcher(_log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, _telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
        _batchSize = options.BatchSize;
        _settings = new Dictionary<string, string>
        {
            ["engine"] = "SqliteJobLog (defaults)",
            ["concurrency"] = options.CourierConcurrency.ToString(CultureInfo.InvariantCulture),
            ["partitions"] = courierOptions.DefaultPartitions.ToString(CultureInfo.InvariantCulture),
            ["batch"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
        };
    }

    public string EnqueueMethod => $"CourierClient.EnqueueBatchAsync, batches of {_batchSize}";

    public IReadOnlyDictionary<string, string> Settings => _settings;

    public async ValueTask EnqueueManyAsync(long firstSequence, int count, CancellationToken cancellationToken)
    {
        var batch = new List<JobRequest>(Math.Min(count, _batchSize));
        for (var done = 0; done < count; done += batch.Count)
        {
            batch.Clear();
            var stamp = Stopwatch.GetTimestamp();
            for (var i = done; i < count && batch.Count < _batchSize; i++)
            {
                batch.Add(Request(firstSequence + i, stamp));
            }
            await _client.EnqueueBatchAsync(batch, cancellationToken);
        }
    }

    public async ValueTask EnqueueOneAsync(long sequence, long enqueueTimestamp, CancellationToken cancellationToken) =>
        await _client.EnqueueAsync(Request(sequence, enqueueTimestamp), cancellationToken);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await _dispatcher.StartAsync(cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            _started = false;
            await _dispatcher.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        await _dispatcher.DisposeAsync();
        _client.Dispose();
        await _log.DisposeAsync();
        _telemetry.Dispose();
    }

    private static JobRequest Request(long sequence, long stamp) => new()
    {
        Type = JobType,
        Database = Databases[sequence % Databases.Length],
        Params = new NoopParams(sequence, stamp),
    };
}
