using Courier.EndToEnd.Support;
using Courier.TestRunner;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.EndToEnd.Runners;

/// <summary>
/// One HTTP runner scenario: a job log of the engine under test, a client, runner processes on loopback, and a real
/// dispatcher in the test process whose rules send jobs to a runner pool (<see cref="DispatcherOptions.RunnerPools"/>).
/// The dispatcher is built once the runners listen, since its pools name their URLs.
/// </summary>
internal sealed class RunnerWorld : IAsyncDisposable
{
    public const string PoolName = "runners";

    // The keys runner processes accept (COURIER_RUNNER_KEYS): two, as in the middle of a rotation. Dispatchers sign
    // with Key unless a scenario says otherwise.
    private const string Secret1 = "e2e-runner-secret-one-0123456789";
    private const string Secret2 = "e2e-runner-secret-two-0123456789";

    public static readonly RunnerKey Key = new("e2e-k1", Secret1);
    public static readonly RunnerKey SecondKey = new("e2e-k2", Secret2);
    public static readonly string RunnerKeys = $"{Key.Id}={Secret1},{SecondKey.Id}={Secret2}";

    private readonly TempDirectory _directory = new();
    private readonly CourierTelemetry _telemetry = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly List<RunnerProcess> _runners = [];
    private Dispatcher? _dispatcher;

    public RunnerWorld(RunnerEngine engine, CourierOptions? courierOptions = null)
    {
        Engine = engine;
        CourierOptions = courierOptions ?? new CourierOptions();
        Log = engine.CreateLog();
        Client = new CourierClient(Log, CourierOptions, _telemetry, TimeProvider.System);
        _loggerFactory = new LoggerFactory([DispatcherLog]);
    }

    public RunnerEngine Engine { get; }

    public CourierOptions CourierOptions { get; }

    public IJobLog Log { get; }

    public CourierClient Client { get; }

    /// <summary>What the dispatcher logged.</summary>
    public LogCapture DispatcherLog { get; } = new(LogLevel.Information);

    public Dispatcher Dispatcher => _dispatcher ?? throw new InvalidOperationException("the dispatcher has not been started");

    /// <summary>A path in the scenario's temporary directory.</summary>
    public string PathOf(string name) => Path.Combine(_directory.Path, name);

    /// <summary>Starts a runner process named <paramref name="name"/> that accepts <see cref="RunnerKeys"/>; its ledger is <c>&lt;temp&gt;/&lt;name&gt;.ledger.db</c>.</summary>
    public RunnerProcess StartRunner(string name, params string[] arguments) => StartRelease(name, RunnerProcess.Release, arguments);

    /// <summary>Starts a runner process like <see cref="StartRunner"/> that announces <paramref name="release"/>.</summary>
    public RunnerProcess StartRelease(string name, string release, params string[] arguments)
    {
        var runner = RunnerProcess.Start(name, PathOf(name + ".ledger.db"), RunnerKeys, arguments, release);
        _runners.Add(runner);
        return runner;
    }

    /// <summary>A pool of one runner URL, signed with <see cref="Key"/>, whose execution limit is the runner's.</summary>
    public static RunnerPoolOptions Pool(Uri url, TimeSpan executionLimit, string name = PoolName) => new()
    {
        Name = name,
        Urls = [url],
        SigningKey = Key,
        ExecutionLimit = executionLimit,
        RetryAfterDefault = TimeSpan.FromMilliseconds(250),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>A rule sending <paramref name="type"/> to a pool, with short retry delays.</summary>
    public static JobRule Rule(string type, TimeSpan timeout, int concurrency = 8, int retryLimit = 2, double factor = 1, string pool = PoolName) => new()
    {
        Type = type,
        Runner = pool,
        Concurrency = concurrency,
        Timeout = timeout,
        Retry = new RetryPolicy { Limit = retryLimit, Delay = TimeSpan.FromMilliseconds(250), Factor = factor },
    };

    /// <summary>Dispatcher settings for a scenario: its own group, quick commits, short retry tiers.</summary>
    public static DispatcherOptions Options(string scenario, IEnumerable<RunnerPoolOptions> pools, params JobRule[] rules)
    {
        var options = new DispatcherOptions
        {
            GroupId = "e2e-runners-" + scenario,
            CommitInterval = TimeSpan.FromMilliseconds(50),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            LagRefreshInterval = TimeSpan.FromSeconds(1),
            // Backpressure waits (Retry-After 1 s from the runners, 250 ms by default) land in these; the rules'
            // retry delays get tiers of their own.
            RetryTiers = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)],
        };
        foreach (var pool in pools)
        {
            options.RunnerPools.Add(pool);
        }
        foreach (var rule in rules)
        {
            options.Rules.Add(rule);
        }
        return options;
    }

    /// <summary>Builds and starts the dispatcher (it creates the topics it consumes).</summary>
    public async Task StartDispatcherAsync(DispatcherOptions options)
    {
        _dispatcher = new Dispatcher(Log, new InProcessExecutor(new JobHandlerRegistry(CourierOptions)), options, CourierOptions,
            _telemetry, _loggerFactory.CreateLogger<Dispatcher>(), TimeProvider.System);
        await _dispatcher.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Enqueues one job of <paramref name="type"/> per params object, returning them in order.</summary>
    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(string type, IEnumerable<object> parameters)
    {
        var requests = parameters.Select((p, i) => new JobRequest
        {
            Type = type,
            // Several wikis, so the jobs spread over the partitions by key.
            Database = $"wiki{i % 7}",
            Params = p,
        }).ToList();
        var accepted = new List<EnqueuedJob>(requests.Count);
        foreach (var batch in requests.Chunk(200))
        {
            accepted.AddRange(await Client.EnqueueBatchAsync(batch, TestContext.Current.CancellationToken));
        }
        return accepted;
    }

    /// <summary>Appends raw bytes to a topic, bypassing the client's checks (what a foreign or broken producer does).</summary>
    public async Task<TopicPartitionOffset> ProduceRawAsync(string topic, string key, byte[] value)
    {
        using var producer = Log.CreateProducer();
        var positions = await producer.ProduceAsync([new OutgoingRecord(topic, key, value)], TestContext.Current.CancellationToken);
        return positions[0];
    }

    /// <summary>The dispatcher's counts for one type.</summary>
    public JobTypeStats Stats(string type) => Dispatcher.GetStats().Single(s => s.Type == type);

    /// <summary>
    /// Waits until the dispatcher reports idle twice in a row (nothing in flight, every partition it consumes — job
    /// topics and retry tiers — committed to its end), failing with its stats and log after the deadline.
    /// </summary>
    public Task WaitUntilIdleAsync(TimeSpan deadline) =>
        DispatcherIdle.WaitAsync(Dispatcher, deadline, async () =>
            $"on {Engine.Name}, {await DispatcherIdle.DescribeAsync(Dispatcher, InProcessCourier.Describe)}"
            + $"\nDispatcher log:\n{DispatcherLog.Tail()}\n" + string.Join('\n', _runners.Select(r => r.Tail(10))));

    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync() => TopicReader.ReadDeadLettersAsync(Log, CourierOptions);

    /// <summary>Every ledger row of every runner this scenario started.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> LedgersAsync()
    {
        var all = new List<LedgerEntry>();
        foreach (var runner in _runners)
        {
            all.AddRange(await runner.LedgerAsync());
        }
        return all;
    }

    /// <summary>Context for a failure message: the dispatcher's stats and last log lines, and each runner's.</summary>
    public string Describe() =>
        $"[{Engine.Name}] " + (_dispatcher is null ? "" : string.Join("; ", _dispatcher.GetStats().Select(InProcessCourier.Describe)))
        + $"\nDispatcher log:\n{DispatcherLog.Tail()}\n" + string.Join('\n', _runners.Select(r => r.Tail(10)));

    public async ValueTask DisposeAsync()
    {
        if (_dispatcher is not null)
        {
            await _dispatcher.DisposeAsync();
        }
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
        Client.Dispose();
        await Log.DisposeAsync();
        _telemetry.Dispose();
        _loggerFactory.Dispose();
        Engine.Dispose();
        _directory.Dispose();
    }
}
