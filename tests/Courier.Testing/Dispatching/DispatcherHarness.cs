using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// A real dispatcher on a job log of any engine, with a ledger of executions: the dispatcher tests of every engine
/// share it (each engine's test project only says how to make its log).
/// </summary>
public sealed class DispatcherHarness : IAsyncDisposable
{
    private readonly Action? _cleanup;
    private readonly JobHandlerRegistry _registry;
    private readonly TimeProvider _time;
    private readonly List<Dispatcher> _peers = [];

    /// <summary>
    /// Builds the harness over <paramref name="log"/>, which it owns; <paramref name="cleanup"/> runs after the log is disposed;
    /// the dispatcher runs on <paramref name="time"/> (the system clock by default) with <paramref name="stateStore"/>,
    /// which the harness owns too (none: the scheduling semantics that need one are off).
    /// </summary>
    public DispatcherHarness(IJobLog log, CourierOptions courierOptions, DispatcherOptions options,
        Func<Job<TestParams>, JobContext, CancellationToken, ValueTask<JobResult>>? handle = null,
        IEnumerable<string>? patternTypes = null, Action? cleanup = null, Microsoft.Extensions.Logging.ILogger<Dispatcher>? logger = null,
        TimeProvider? time = null, global::Courier.State.IJobStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _cleanup = cleanup;
        CourierOptions = courierOptions;
        Options = options;
        Log = log;
        Telemetry = new CourierTelemetry();
        Client = new CourierClient(Log, CourierOptions, Telemetry, TimeProvider.System);
        var registry = _registry = new JobHandlerRegistry(CourierOptions);
        _time = time ?? TimeProvider.System;
        foreach (var type in options.AllJobTypes().Concat(patternTypes ?? []))
        {
            registry.Add(type, new DelegateHandler<TestParams>(async (job, context, ct) =>
            {
                Executions.Enqueue((job.Id, context.Attempt));
                var result = handle is null ? await DefaultBehaviour(job, context, ct) : await handle(job, context, ct);
                if (result.IsSuccess)
                {
                    Succeeded.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                }
                return result;
            }));
        }
        Dispatcher = new Dispatcher(Log, new InProcessExecutor(registry), options, CourierOptions, Telemetry,
            logger ?? NullLogger<Dispatcher>.Instance, time ?? TimeProvider.System, stateStore);
        StateStore = stateStore;
    }

    public CourierOptions CourierOptions { get; }
    public DispatcherOptions Options { get; }
    public IJobLog Log { get; }
    public CourierTelemetry Telemetry { get; }
    public CourierClient Client { get; }
    public Dispatcher Dispatcher { get; }

    /// <summary>The dispatcher's state store (owned by the harness), or null.</summary>
    public global::Courier.State.IJobStateStore? StateStore { get; }
    public ConcurrentQueue<(string Id, int Attempt)> Executions { get; } = new();
    public ConcurrentDictionary<string, int> Succeeded { get; } = new();

    public string JobTopic(string type) => CourierOptions.Topics.JobTopic(type);

    public static async ValueTask<JobResult> DefaultBehaviour(Job<TestParams> job, JobContext context, CancellationToken ct)
    {
        if (job.Params.DelayMs > 0)
        {
            await Task.Delay(job.Params.DelayMs, ct);
        }
        if (job.Params.Backpressure && context.Attempt == 1 && job.Params.FailAttempts > 0)
        {
            return JobResult.Backpressure(TimeSpan.FromMilliseconds(50), "busy");
        }
        if (job.Params.Fail is { } reason)
        {
            return JobResult.Fail(reason);
        }
        if (context.Attempt <= job.Params.FailAttempts)
        {
            throw new InvalidOperationException($"transient failure on attempt {context.Attempt}");
        }
        return JobResult.Success;
    }

    /// <summary>Enqueues the jobs, keyed by <paramref name="database"/> of each one's index (one key, so one partition, by default).</summary>
    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(string type, IEnumerable<TestParams> jobs, Func<int, string>? database = null) =>
        await Client.EnqueueBatchAsync(jobs.Select((p, i) => new JobRequest { Type = type, Database = database?.Invoke(i) ?? "testwiki", Params = p }).ToList());

    /// <summary>Produces the jobs straight to one partition of the type's job topic, in order, each with <paramref name="headers"/>.</summary>
    public async Task ProduceJobsAsync(string type, int partition, IEnumerable<TestParams> jobs, IReadOnlyList<LogHeader>? headers = null)
    {
        var codec = new JobEventCodec(CourierOptions);
        var records = jobs.Select(p => new OutgoingRecord(JobTopic(type), "testwiki",
            codec.Encode(Client.BuildEvent(new JobRequest { Type = type, Database = "testwiki", Params = p })), headers, partition)).ToList();
        using var producer = Log.CreateProducer();
        await producer.ProduceAsync(records, TestContext.Current.CancellationToken);
    }

    public Task StartAsync() => Dispatcher.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>
    /// Another dispatcher on the same log, state store and clock with <paramref name="options"/> (its own rules, group
    /// or recurring jobs), running the harness's handlers (executions land in <see cref="Executions"/>); not started.
    /// The harness disposes it before its own.
    /// </summary>
    public Dispatcher CreatePeer(DispatcherOptions options) => CreatePeer(options, Log);

    /// <summary>As <see cref="CreatePeer(DispatcherOptions)"/>, on <paramref name="log"/> (the harness's log wrapped, to observe or hold its calls).</summary>
    public Dispatcher CreatePeer(DispatcherOptions options, IJobLog log)
    {
        var peer = new Dispatcher(log, new InProcessExecutor(_registry), options, CourierOptions, Telemetry,
            NullLogger<Dispatcher>.Instance, _time, StateStore);
        _peers.Add(peer);
        return peer;
    }

    /// <summary>Waits until the dispatcher is idle (everything committed); the deadline (60 s by default) only bounds a hang.</summary>
    public Task WaitIdleAsync(TimeSpan? deadline = null) => DispatcherIdle.WaitAsync(Dispatcher, deadline);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, failing with <paramref name="what"/> and the stats if it does not
    /// within <paramref name="deadline"/> (60 s by default): the deadline only bounds a hang, it is never what a test checks.
    /// </summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        WaitUntilAsync(() => ValueTask.FromResult(condition()), what, deadline);

    /// <inheritdoc cref="WaitUntilAsync(Func{bool}, string, TimeSpan?)"/>
    public Task WaitUntilAsync(Func<ValueTask<bool>> condition, string what, TimeSpan? deadline = null) =>
        Eventually.TrueAsync(condition, what, deadline, () => ValueTask.FromResult(string.Join("; ", Dispatcher.GetStats())));

    /// <summary>Every record of the error topic, read from the start without a group.</summary>
    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync() => TopicReader.ReadDeadLettersAsync(Log, CourierOptions);

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }
        await Dispatcher.DisposeAsync();
        Client.Dispose();
        await Log.DisposeAsync();
        if (StateStore is not null)
        {
            await StateStore.DisposeAsync();
        }
        Telemetry.Dispose();
        _cleanup?.Invoke();
    }
}
