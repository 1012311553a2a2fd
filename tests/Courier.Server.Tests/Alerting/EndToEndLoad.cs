namespace Courier.Server.Tests.Alerting;

/// <summary>
/// Jobs of one type enqueued steadily in the background — a few every tick, as a wiki's edits keep pushing them — until
/// disposed. Pacing only: no test waits on the ticks.
/// </summary>
internal sealed class EndToEndLoad : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private const int JobsPerTick = 2;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _enqueued;

    private EndToEndLoad(CourierClient client, string type)
    {
        _loop = Task.Run(() => RunAsync(client, type));
    }

    /// <summary>Jobs enqueued so far.</summary>
    public int Enqueued => Volatile.Read(ref _enqueued);

    public static EndToEndLoad Start(CourierClient client, string type) => new(client, type);

    /// <summary>One job of <paramref name="type"/>, as the load enqueues them.</summary>
    public static JobRequest Job(string type) => new() { Type = type, Database = "metawiki", Params = new { text = "Hello" } };

    /// <summary>Enqueues <paramref name="count"/> more jobs at once, counted with the others.</summary>
    public async Task BurstAsync(CourierClient client, string type, int count, CancellationToken cancellationToken)
    {
        await client.EnqueueBatchAsync([.. Enumerable.Range(0, count).Select(_ => Job(type))], cancellationToken);
        Interlocked.Add(ref _enqueued, count);
    }

    private async Task RunAsync(CourierClient client, string type)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            // Not cancelled midway: a batch is either enqueued and counted or not enqueued.
            await client.EnqueueBatchAsync([.. Enumerable.Range(0, JobsPerTick).Select(_ => Job(type))], CancellationToken.None);
            Interlocked.Add(ref _enqueued, JobsPerTick);
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
