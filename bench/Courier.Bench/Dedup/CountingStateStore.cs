using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Courier.State;

namespace Courier.Bench.Dedup;

/// <summary>
/// A state store that passes every call to the real one and counts it by operation: how many store round trips the
/// dispatcher made per job. Counting is one interlocked increment per call, far below a store operation's cost.
/// </summary>
internal sealed class CountingStateStore(IJobStateStore inner) : IJobStateStore
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <summary>Calls so far, by operation (get, add, set, delete, max, increment).</summary>
    public IReadOnlyDictionary<string, long> Counts =>
        _counts.Where(kv => kv.Value.Value > 0).ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value), StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Count("add", inner.TryAddAsync(key, value, ttl, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Count("get", inner.GetAsync(key, cancellationToken));

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Add("set");
        return inner.SetAsync(key, value, ttl, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string key, string? onlyIfValue = null, CancellationToken cancellationToken = default) =>
        Count("delete", inner.DeleteAsync(key, onlyIfValue, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<long?> MaxAsync(string key, long value, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Count("max", inner.MaxAsync(key, value, ttl, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<long> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Count("increment", inner.IncrementAsync(key, by, ttl, cancellationToken));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private ValueTask<T> Count<T>(string operation, ValueTask<T> call)
    {
        Add(operation);
        return call;
    }

    private void Add(string operation) =>
        Interlocked.Increment(ref _counts.GetOrAdd(operation, static _ => new StrongBox<long>()).Value);
}
