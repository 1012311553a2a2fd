using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.EndToEnd.Support;

/// <summary>A client and a real dispatcher with the in-process executor on a temporary SQLite job log.</summary>
internal sealed class InProcessCourier : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public InProcessCourier(DispatcherOptions dispatcherOptions, CourierOptions courierOptions, Action<JobHandlerRegistry> registerHandlers)
    {
        DispatcherOptions = dispatcherOptions;
        CourierOptions = courierOptions;
        Log = EmbeddedLog.Open(_directory.Path);
        Client = new CourierClient(Log, courierOptions, Telemetry, TimeProvider.System);
        var registry = new JobHandlerRegistry(courierOptions);
        registerHandlers(registry);
        Dispatcher = new Dispatcher(Log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, Telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);
    }

    public DispatcherOptions DispatcherOptions { get; }

    public CourierOptions CourierOptions { get; }

    public CourierTelemetry Telemetry { get; } = new();

    public SqliteJobLog Log { get; }

    public CourierClient Client { get; }

    public Dispatcher Dispatcher { get; }

    public Task StartAsync() => Dispatcher.StartAsync(TestContext.Current.CancellationToken);

    /// <summary>Enqueues in batches of <paramref name="batchSize"/>, returning the accepted jobs in request order.</summary>
    public async Task<IReadOnlyList<EnqueuedJob>> EnqueueAsync(IReadOnlyList<JobRequest> requests, int batchSize = 500)
    {
        var accepted = new List<EnqueuedJob>(requests.Count);
        foreach (var batch in requests.Chunk(batchSize))
        {
            accepted.AddRange(await Client.EnqueueBatchAsync(batch, TestContext.Current.CancellationToken));
        }
        return accepted;
    }

    /// <summary>Appends raw bytes to a topic, bypassing the client's checks (what a foreign or broken producer does).</summary>
    public async Task<TopicPartitionOffset> ProduceRawAsync(string topic, string? key, byte[] value)
    {
        using var producer = Log.CreateProducer();
        var positions = await producer.ProduceAsync([new OutgoingRecord(topic, key, value)], TestContext.Current.CancellationToken);
        return positions[0];
    }

    /// <summary>
    /// Waits until the dispatcher reports idle twice in a row (nothing in flight, every consumed partition
    /// committed to its end), failing with the per-type stats after the deadline.
    /// </summary>
    public Task WaitUntilIdleAsync(TimeSpan deadline) =>
        DispatcherIdle.WaitAsync(Dispatcher, deadline, () => DispatcherIdle.DescribeAsync(Dispatcher, Describe));

    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync() => TopicReader.ReadDeadLettersAsync(Log, CourierOptions);

    public static string Describe(JobTypeStats s) =>
        $"{s.Type}: started {s.Started}, succeeded {s.Succeeded}, dead-lettered {s.DeadLettered} "
        + $"({string.Join(", ", s.DeadLetteredByClass.Select(c => $"{c.Key.ToWireName()} {c.Value}"))}), ignored {s.Ignored}, "
        + $"retried {s.Retried}, in flight {s.InFlight}, executions {s.Executions}, pending {s.Pending}";

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.DisposeAsync();
        Client.Dispose();
        await Log.DisposeAsync();
        Telemetry.Dispose();
        _directory.Dispose();
    }
}
