using Courier.Dispatching.Outcomes;

namespace Courier.Dispatching.Breaking;

/// <summary>
/// Attempts and failures of one job type over a sliding time window, in <see cref="Buckets"/> buckets of a
/// <see cref="Buckets"/>th of the window each: a bucket older than the window is dropped whole, so the window slides
/// by a bucket at a time. Also keeps the most frequent failure message. Not thread-safe (the breaker locks).
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
        _attempts[i]++;
        if (failed)
        {
            _failures[i]++;
            _messages[i].Add(message ?? "");
        }
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
            _epochs[i] = epoch;
            _attempts[i] = _failures[i] = 0;
            _messages[i].Clear();
        }
        return i;
    }
}
