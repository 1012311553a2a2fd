namespace Courier.Testing.Alerting;

/// <summary>
/// Jobs of one type enqueued steadily in the background — a few every tick, as a wiki's edits keep pushing them — until
/// disposed: the traffic of the end-to-end alerting tests and of the bench's time-to-detect measurement. Pacing only:
/// no test waits on the ticks.
/// </summary>
public sealed class EndToEndLoad : IAsyncDisposable
{
    /// <summary>How often a batch is enqueued.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Jobs per tick unless <see cref="Start"/> is given another number: 20 jobs/s.</summary>
    public const int DefaultJobsPerTick = 2;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _enqueued;

    private EndToEndLoad(CourierClient client, string type, int jobsPerTick)
    {
        _loop = Task.Run(() => RunAsync(client, type, jobsPerTick));
    }

    /// <summary>Jobs enqueued so far.</summary>
    public int Enqueued => Volatile.Read(ref _enqueued);

    /// <summary>Starts enqueueing <paramref name="jobsPerTick"/> jobs of <paramref name="type"/> every <see cref="Tick"/>.</summary>
    public static EndToEndLoad Start(CourierClient client, string type, int jobsPerTick = DefaultJobsPerTick) =>
        new(client, type, jobsPerTick > 0 ? jobsPerTick : throw new ArgumentOutOfRangeException(nameof(jobsPerTick)));

    /// <summary>One job of <paramref name="type"/>, as the load enqueues them.</summary>
    public static JobRequest Job(string type) => new() { Type = type, Database = "metawiki", Params = new { text = "Hello" } };

    /// <summary>Enqueues <paramref name="count"/> more jobs at once, counted with the others.</summary>
    public async Task BurstAsync(CourierClient client, string type, int count, CancellationToken cancellationToken)
    {
        await client.EnqueueBatchAsync([.. Enumerable.Range(0, count).Select(_ => Job(type))], cancellationToken);
        Interlocked.Add(ref _enqueued, count);
    }

    private async Task RunAsync(CourierClient client, string type, int jobsPerTick)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            // Not cancelled midway: a batch is either enqueued and counted or not enqueued.
            await client.EnqueueBatchAsync([.. Enumerable.Range(0, jobsPerTick).Select(_ => Job(type))], CancellationToken.None);
            Interlocked.Add(ref _enqueued, jobsPerTick);
        }
    }

    /// <summary>Stops enqueueing; an enqueue that failed fails the test here.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        _stop.Dispose();
    }
}
