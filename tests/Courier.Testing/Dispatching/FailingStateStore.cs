using Courier.State;

namespace Courier.Testing;

/// <summary>
/// A state store that cannot be reached: every operation throws <see cref="JobStateStoreException"/>, as a real store
/// does when its server is down, and is counted (so a test can tell the dispatcher really asked it).
/// </summary>
public sealed class FailingStateStore : IJobStateStore
{
    private long _calls;

    /// <summary>Operations asked of the store, all failed.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <inheritdoc/>
    public string Name => "failing";

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) => throw Fail();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private JobStateStoreException Fail()
    {
        Interlocked.Increment(ref _calls);
        return new JobStateStoreException("state store 'failing': connection refused");
    }
}
