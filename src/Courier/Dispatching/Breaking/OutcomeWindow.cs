using Courier.Dispatching.Outcomes;

namespace Courier.Dispatching.Breaking;

/// <summary>
/// Attempts and failures of one job type over a sliding time window, in <see cref="Buckets"/> buckets of a
/// <see cref="Buckets"/>th of the window each: a bucket older than the window is dropped whole, so the window slides
/// by a bucket at a time. Also keeps the most frequent failure message. The breaker calls everything under its lock
/// except <see cref="TryAddSuccess"/>, which adds a success to a current bucket without it.
/// </summary>
internal sealed class OutcomeWindow
{
    /// <summary>Buckets per window.</summary>
    public const int Buckets = 6;

    /// <summary>Distinct failure messages kept per bucket; more are counted as failures but not named.</summary>
    private const int MessagesPerBucket = 16;

    private readonly long _bucketTicks;
    private readonly long[] _epochs = new long[Buckets];
    private readonly int[] _attempts = new int[Buckets];
    private readonly int[] _failures = new int[Buckets];
    private readonly MessageCounts[] _messages = new MessageCounts[Buckets];

    public OutcomeWindow(TimeSpan window)
    {
        _bucketTicks = Math.Max(1, window.Ticks / Buckets);
        Window = TimeSpan.FromTicks(_bucketTicks * Buckets);
        for (var i = 0; i < Buckets; i++)
        {
            _epochs[i] = -1;
            _messages[i] = new MessageCounts(MessagesPerBucket);
        }
    }

    /// <summary>The window's length (a whole number of buckets).</summary>
    public TimeSpan Window { get; }

    /// <summary>Counts one attempt at <paramref name="at"/>; a failure with its message.</summary>
    public void Add(DateTimeOffset at, bool failed, string? message)
    {
        var i = BucketOf(at);
        Interlocked.Increment(ref _attempts[i]); // TryAddSuccess may add to the same bucket without the lock
        if (failed)
        {
            _failures[i]++;
            _messages[i].Add(message ?? "");
        }
    }

    /// <summary>
    /// Counts a success at <paramref name="at"/> without the breaker's lock, when it cannot change the breaker's state:
    /// no failure is inside the window (a success only opens a breaker by completing the minimum of attempts while
    /// failures are over the ratio) and its bucket already holds its slice of time (starting a new slice empties the
    /// bucket, which only the lock may do). False when either does not hold: the caller adds it under the lock.
    /// </summary>
    /// <remarks>
    /// Racing the lock: a failure added meanwhile is judged without this success (it opens no later than it would have),
    /// and a bucket emptied for a newer slice meanwhile may receive it (a success counted up to a window late). Neither
    /// keeps a failing type's breaker closed.
    /// </remarks>
    public bool TryAddSuccess(DateTimeOffset at)
    {
        var epoch = at.UtcTicks / _bucketTicks;
        var i = (int)(epoch % Buckets);
        if (Volatile.Read(ref _epochs[i]) != epoch)
        {
            return false;
        }
        for (var b = 0; b < Buckets; b++)
        {
            if (Volatile.Read(ref _failures[b]) != 0 && IsLive(b, epoch))
            {
                return false;
            }
        }
        Interlocked.Increment(ref _attempts[i]);
        return true;
    }

    /// <summary>Attempts and failures of the buckets still inside the window at <paramref name="now"/>.</summary>
    public (int Attempts, int Failures) Totals(DateTimeOffset now)
    {
        var current = now.UtcTicks / _bucketTicks;
        int attempts = 0, failures = 0;
        for (var i = 0; i < Buckets; i++)
        {
            if (IsLive(i, current))
            {
                attempts += _attempts[i];
                failures += _failures[i];
            }
        }
        return (attempts, failures);
    }

    /// <summary>The failure message seen most often in the window at <paramref name="now"/>; null when none.</summary>
    public string? TopMessage(DateTimeOffset now)
    {
        var current = now.UtcTicks / _bucketTicks;
        var counts = new MessageCounts(Buckets * MessagesPerBucket);
        for (var i = 0; i < Buckets; i++)
        {
            if (IsLive(i, current))
            {
                counts.AddAll(_messages[i]);
            }
        }
        return counts.Top(1).Select(c => c.Message).FirstOrDefault();
    }

    /// <summary>Forgets everything (the breaker closed or was reset).</summary>
    public void Clear()
    {
        for (var i = 0; i < Buckets; i++)
        {
            _epochs[i] = -1;
            _attempts[i] = _failures[i] = 0;
            _messages[i].Clear();
        }
    }

    private bool IsLive(int i, long current) => _epochs[i] >= 0 && current - _epochs[i] < Buckets;

    /// <summary>
    /// The bucket of <paramref name="at"/>, emptied first when it last held an older slice of time (a late sample whose
    /// slice has already been reused counts in the newer one).
    /// </summary>
    private int BucketOf(DateTimeOffset at)
    {
        var epoch = at.UtcTicks / _bucketTicks;
        var i = (int)(epoch % Buckets);
        if (_epochs[i] < epoch)
        {
            // Emptied before the new slice is published, so a lock-free success (TryAddSuccess) that sees the new
            // slice adds to the emptied bucket.
            Volatile.Write(ref _attempts[i], 0);
            _failures[i] = 0;
            _messages[i].Clear();
            Volatile.Write(ref _epochs[i], epoch);
        }
        return i;
    }
}
