using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.States;
using Hangfire.Storage.SQLite;

namespace Courier.Bench;

/// <summary>
/// Hangfire 1.8 with its default job filters and a <see cref="BackgroundJobServer"/> on the default queue. OSS
/// Hangfire has no batch enqueue, so many jobs are enqueued with <see cref="BackgroundJobClient.Create"/> in a loop.
/// </summary>
internal sealed class HangfireTarget : IBenchTarget
{
    private static readonly MethodInfo RunMethod = typeof(HangfireNoopJob).GetMethod(nameof(HangfireNoopJob.Run))!;

    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _client;
    private readonly BackgroundJobServerOptions _serverOptions;
    private readonly Dictionary<string, string> _settings;
    private BackgroundJobServer? _server;

    private HangfireTarget(JobStorage storage, JobProbe probe, int workers, Dictionary<string, string> settings)
    {
        _storage = storage;
        _client = new BackgroundJobClient(storage);
        _serverOptions = new BackgroundJobServerOptions
        {
            WorkerCount = workers,
            Activator = new HangfireProbeActivator(probe),
        };
        _settings = settings;
        _settings["workers"] = workers.ToString(CultureInfo.InvariantCulture);
    }

    public string EnqueueMethod => "BackgroundJobClient.Create, one job per call (no batch API in OSS Hangfire)";

    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>Process-wide Hangfire settings, applied once before any target is made: Hangfire's recommended ones.</summary>
    public static void ConfigureGlobal() =>
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();

    public static HangfireTarget InMemory(JobProbe probe, BenchOptions options) =>
        new(new InMemoryStorage(new InMemoryStorageOptions()), probe, options.HangfireWorkers,
            new Dictionary<string, string> { ["storage"] = "Hangfire.InMemory 1.0.0 (defaults)" });

    public static HangfireTarget Sqlite(string directory, JobProbe probe, BenchOptions options)
    {
        var poll = TimeSpan.FromMilliseconds(options.HangfireSqlitePollMilliseconds);
        // Hangfire.Storage.SQLite only polls (no in-process wake-up on enqueue); its default poll interval is 15 s.
        var storage = new SQLiteStorage(Path.Combine(directory, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = poll });
        return new HangfireTarget(storage, probe, options.HangfireWorkers, new Dictionary<string, string>
        {
            ["storage"] = "Hangfire.Storage.SQLite 0.4.3 (WAL journal, defaults)",
            ["queuePollInterval"] = $"{poll.TotalMilliseconds:0} ms",
        });
    }

    public ValueTask EnqueueManyAsync(long firstSequence, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Create(firstSequence + i, Stopwatch.GetTimestamp());
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask EnqueueOneAsync(long sequence, long enqueueTimestamp, CancellationToken cancellationToken)
    {
        Create(sequence, enqueueTimestamp);
        return ValueTask.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server ??= new BackgroundJobServer(_serverOptions, _storage);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            server.SendStop();
            // Dispose waits for the workers to finish; that blocks, so it runs off the caller's thread.
            return Task.Run(server.Dispose, cancellationToken);
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        (_storage as IDisposable)?.Dispose();
    }

    // The Job is built directly, as Enqueue(() => …) would after parsing its expression.
    private void Create(long sequence, long enqueueTimestamp) =>
        _client.Create(new Job(typeof(HangfireNoopJob), RunMethod, sequence, enqueueTimestamp), new EnqueuedState());
}
