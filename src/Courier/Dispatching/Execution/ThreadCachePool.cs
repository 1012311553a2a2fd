using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Courier.Dispatching.Execution;

/// <summary>
/// Free objects of one owner (a runner's job slots, a dispatcher's job clocks), kept first in a small cache on the
/// thread that gave them back and beyond it in a queue all threads share. A job that runs to completion on its worker
/// rents and returns on that thread, so the object and the cache stay in that core's cache lines. A pool shared by
/// all workers cost each job two compare-and-swaps on lines the other core had just written (its queue's head and
/// tail), which the Kafka benchmark's profile showed among the dispatcher's larger per-job costs.
/// </summary>
/// <remarks>
/// A thread's cache serves one pool at a time: the last to give an object back on that thread. When another pool does
/// (several dispatchers in one process, or a dispatcher started after another stopped), the objects the cache held go
/// to their own pool's shared queue and the cache changes hands, so no pool loses an object and a stopped pool's
/// objects are not kept alive by the threads it used. The cache is bounded, so a thread that only gives back (jobs that
/// finish on another thread than they started on) passes the surplus to the shared queue.
/// </remarks>
internal sealed class ThreadCachePool<T>
    where T : class
{
    /// <summary>Most free objects one thread keeps for itself.</summary>
    public const int PerThread = 16;

    [ThreadStatic]
    private static Cache? t_cache;

    private readonly ConcurrentQueue<T> _shared = new(); // a queue: a stack would allocate a node per push

    /// <summary>A free object, from this thread's cache first; false when there is none (the caller makes one).</summary>
    public bool TryRent([NotNullWhen(true)] out T? item)
    {
        if (t_cache is { } cache && ReferenceEquals(cache.Owner, this) && cache.Count > 0)
        {
            var last = --cache.Count;
            item = cache.Items[last]!;
            cache.Items[last] = null;
            return true;
        }
        return _shared.TryDequeue(out item);
    }

    /// <summary>Gives back an object no one holds any more.</summary>
    public void Return(T item)
    {
        var cache = t_cache ??= new Cache();
        if (!ReferenceEquals(cache.Owner, this))
        {
            cache.Owner?.TakeBack(cache);
            cache.Owner = this;
        }
        if (cache.Count < PerThread)
        {
            cache.Items[cache.Count++] = item;
            return;
        }
        _shared.Enqueue(item);
    }

    /// <summary>Moves this pool's objects out of a thread's cache that another pool takes over.</summary>
    private void TakeBack(Cache cache)
    {
        for (var i = 0; i < cache.Count; i++)
        {
            _shared.Enqueue(cache.Items[i]!);
            cache.Items[i] = null;
        }
        cache.Count = 0;
    }

    private sealed class Cache
    {
        public readonly T?[] Items = new T?[PerThread];
        public ThreadCachePool<T>? Owner;
        public int Count;
    }
}
