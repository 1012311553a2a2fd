using System.Collections.Concurrent;
using Courier.State;

namespace Courier.Testing;

/// <summary>
/// A real state store with every operation asked of it recorded (operation and key) before it is passed on: a test can
/// tell which round trips the dispatcher made. Owns the store it wraps.
/// </summary>
public sealed class CountingStateStore(IJobStateStore inner) : IJobStateStore
{
    /// <summary>The operations asked, in order: <c>(get, cancel:latest)</c>, <c>(increment, rate:alpha:…)</c>, ….</summary>
    public ConcurrentQueue<(string Operation, string Key)> Calls { get; } = new();

    /// <summary>The wrapped store, to write without being counted.</summary>
    public IJobStateStore Inner => inner;

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public long DroppedKeys => inner.DroppedKeys;

    /// <summary>How many <paramref name="operation"/> calls were made on keys matching <paramref name="key"/>.</summary>
    public int Count(string operation, Func<string, bool> key) => Calls.Count(c => c.Operation == operation && key(c.Key));

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Counted("try_add", key).TryAddAsync(key, value, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => Counted("get", key).GetAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Counted("set", key).SetAsync(key, value, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default) =>
        Counted("delete", key).DeleteAsync(key, onlyIfValue, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Counted("max", key).MaxAsync(key, value, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Counted(by >= 0 ? "increment" : "decrement", key).IncrementAsync(key, by, ttl, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private IJobStateStore Counted(string operation, string key)
    {
        Calls.Enqueue((operation, key));
        return inner;
    }
}
