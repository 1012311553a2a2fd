namespace Courier.Bench;

/// <summary>
/// One system on a fresh store, running the no-op job. Jobs carry a sequence number and a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp taken just before they were enqueued.
/// </summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>How this system enqueues many jobs (reported with the enqueue rate).</summary>
    string EnqueueMethod { get; }

    /// <summary>Settings worth reporting (worker counts, poll intervals).</summary>
    IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Enqueues jobs <paramref name="firstSequence"/>…+<paramref name="count"/>−1, batched where the system can.</summary>
    ValueTask EnqueueManyAsync(long firstSequence, int count, CancellationToken cancellationToken);

    /// <summary>Enqueues one job, as an application would at a steady rate.</summary>
    ValueTask EnqueueOneAsync(long sequence, long enqueueTimestamp, CancellationToken cancellationToken);

    /// <summary>Starts processing (dispatcher or job server).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops processing.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
