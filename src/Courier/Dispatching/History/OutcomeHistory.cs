using System.Collections.Concurrent;
using Courier.Dispatching.Outcomes;

namespace Courier.Dispatching.History;

/// <summary>
/// The dispatcher's recent outcomes in time buckets (<see cref="BucketWidth"/>, kept for <see cref="Retention"/>):
/// counts per job type, release, outcome, failure class and probe or not, the failure messages per type and release
/// (at most <see cref="MaxMessagesPerRelease"/> distinct ones, cut at <see cref="MaxMessageLength"/>), and when each
/// release was first seen running a job. What <c>courier check</c> judges a deploy by.
/// </summary>
/// <remarks>
/// Told every durable outcome on the worker that produced it: one counter increment (two for a failure with a message)
/// in concurrent dictionaries, no lock; a worker whose outcome has the key of its previous one skips the look-up.
/// Only buckets that saw an outcome exist; when a new bucket starts, those past the retention are dropped.
/// </remarks>
public sealed class OutcomeHistory : IOutcomeListener
{
    /// <summary>Width of a bucket by default.</summary>
    public static readonly TimeSpan DefaultBucketWidth = TimeSpan.FromSeconds(10);

    /// <summary>How long buckets are kept by default.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(6);

    /// <summary>Longest failure message kept; longer ones are cut and end with <c>…</c>.</summary>
    public const int MaxMessageLength = 200;

    /// <summary>Distinct failure messages kept per job type and release; further ones count under <see cref="OtherMessages"/>.</summary>
    public const int MaxMessagesPerRelease = 16;

    /// <summary>The message that counts the failures whose own message was past <see cref="MaxMessagesPerRelease"/>.</summary>
    public const string OtherMessages = "(other messages)";

    /// <summary>Releases remembered; past it the one first seen longest ago is forgotten.</summary>
    public const int MaxReleases = 256;

    private readonly ConcurrentDictionary<CountKey, Counter> _counts = new();
    private readonly ConcurrentDictionary<ErrorKey, Counter> _errors = new();
    private readonly ConcurrentDictionary<(string Type, string Release), ConcurrentDictionary<string, byte>> _messages = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _releases = new(StringComparer.Ordinal);
    private readonly long _bucketTicks;
    private readonly long _keptBuckets;
    private readonly Lock _pruning = new();
    private long _newestBucket = long.MinValue;

    /// <summary>An empty history.</summary>
    internal OutcomeHistory(TimeSpan? bucketWidth = null, TimeSpan? retention = null)
    {
        BucketWidth = bucketWidth ?? DefaultBucketWidth;
        Retention = retention ?? DefaultRetention;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BucketWidth, TimeSpan.Zero, nameof(bucketWidth));
        ArgumentOutOfRangeException.ThrowIfLessThan(Retention, BucketWidth, nameof(retention));
        _bucketTicks = BucketWidth.Ticks;
        _keptBuckets = Retention.Ticks / _bucketTicks;
    }

    /// <summary>Width of a bucket: the resolution of <see cref="Tally"/>.</summary>
    public TimeSpan BucketWidth { get; }

    /// <summary>How long outcomes are kept.</summary>
    public TimeSpan Retention { get; }

    /// <summary>The releases seen running a job, with when each was first seen.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Releases => new Dictionary<string, DateTimeOffset>(_releases, StringComparer.Ordinal);

    /// <inheritdoc />
    void IOutcomeListener.Observe(in OutcomeSample sample)
    {
        var bucket = sample.At.UtcTicks / _bucketTicks;
        if (bucket > Volatile.Read(ref _newestBucket))
        {
            Advance(bucket);
        }
        if (t_last is { } last && last.IsFor(this, bucket, sample))
        {
            // The worker's previous outcome had the same key (the common case: a type's jobs succeeding in the same
            // bucket): its counter, without hashing three strings again. Its release was remembered then.
            Interlocked.Increment(ref last.Counter.Value);
        }
        else
        {
            if (!_releases.ContainsKey(sample.Release))
            {
                Remember(sample.Release, sample.At);
            }
            var counter = CounterOf(_counts, new CountKey(bucket, sample.JobType, sample.Release, sample.Outcome, sample.Failure, sample.IsProbe));
            Interlocked.Increment(ref counter.Value);
            (t_last ??= new LastCount()).Set(this, bucket, sample, counter);
        }
        if (sample.Failure is not null && sample.Message is { } message && sample.Outcome != "ignored" && sample.Failure != FailureClass.Backpressure)
        {
            Increment(_errors, new ErrorKey(bucket, sample.JobType, sample.Release, Kept(sample.JobType, sample.Release, message)));
        }
    }

    /// <summary>
    /// The outcomes per job type and release in the buckets from the one holding <paramref name="from"/> through the
    /// one holding <paramref name="through"/>, with the <paramref name="topErrors"/> most frequent messages of each.
    /// </summary>
    public IReadOnlyList<OutcomeTally> Tally(DateTimeOffset from, DateTimeOffset through, int topErrors = 5)
    {
        var first = from.UtcTicks / _bucketTicks;
        var last = through.UtcTicks / _bucketTicks;
        var builders = new Dictionary<(string Type, string Release), TallyBuilder>();
        foreach (var (key, counter) in _counts)
        {
            if (key.Bucket >= first && key.Bucket <= last)
            {
                Builder(builders, key.Type, key.Release).Add(key, Volatile.Read(ref counter.Value));
            }
        }
        foreach (var (key, counter) in _errors)
        {
            if (key.Bucket >= first && key.Bucket <= last)
            {
                Builder(builders, key.Type, key.Release).AddError(key.Message, Volatile.Read(ref counter.Value));
            }
        }
        return builders.Values.Select(b => b.Build(topErrors))
            .OrderBy(t => t.Type, StringComparer.Ordinal).ThenBy(t => t.Release, StringComparer.Ordinal).ToList();
    }

    private static TallyBuilder Builder(Dictionary<(string, string), TallyBuilder> builders, string type, string release)
    {
        if (!builders.TryGetValue((type, release), out var builder))
        {
            builders[(type, release)] = builder = new TallyBuilder(type, release);
        }
        return builder;
    }

    private static void Increment<TKey>(ConcurrentDictionary<TKey, Counter> counts, TKey key)
        where TKey : notnull =>
        Interlocked.Increment(ref CounterOf(counts, key).Value);

    private static Counter CounterOf<TKey>(ConcurrentDictionary<TKey, Counter> counts, TKey key)
        where TKey : notnull =>
        counts.GetOrAdd(key, static _ => new Counter());

    /// <summary>The message as counted: cut at the bound, or <see cref="OtherMessages"/> once the type and release have their share.</summary>
    private string Kept(string type, string release, string message)
    {
        var cut = message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
        var known = _messages.GetOrAdd((type, release), static _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        if (known.ContainsKey(cut))
        {
            return cut;
        }
        // Racing adds may pass the bound by a few; it stays bounded.
        return known.Count < MaxMessagesPerRelease && known.TryAdd(cut, 0) || known.ContainsKey(cut) ? cut : OtherMessages;
    }

    private void Remember(string release, DateTimeOffset at)
    {
        if (!_releases.TryAdd(release, at) || _releases.Count <= MaxReleases)
        {
            return;
        }
        lock (_pruning)
        {
            while (_releases.Count > MaxReleases)
            {
                var oldest = _releases.MinBy(r => r.Value).Key;
                _releases.TryRemove(oldest, out _);
                foreach (var key in _messages.Keys.Where(k => k.Release == oldest))
                {
                    _messages.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>A new bucket started: the ones past the retention go.</summary>
    private void Advance(long bucket)
    {
        lock (_pruning)
        {
            if (bucket <= _newestBucket)
            {
                return;
            }
            Volatile.Write(ref _newestBucket, bucket);
            var oldest = bucket - _keptBuckets;
            foreach (var key in _counts.Keys.Where(k => k.Bucket < oldest))
            {
                _counts.TryRemove(key, out _);
            }
            foreach (var key in _errors.Keys.Where(k => k.Bucket < oldest))
            {
                _errors.TryRemove(key, out _);
            }
        }
    }

    /// <summary>
    /// The counter a worker thread incremented last, and the key it was found by (one per thread, reused; it keeps the
    /// last history it counted for reachable while the thread lives).
    /// </summary>
    [ThreadStatic]
    private static LastCount? t_last;

    /// <summary>
    /// A counter with its key, compared by reference: the type, release and outcome strings of a dispatcher's samples are
    /// the same instances job after job, and a different instance only means a dictionary lookup.
    /// </summary>
    private sealed class LastCount
    {
        private OutcomeHistory? _history;
        private long _bucket;
        private string? _type, _release, _outcome;
        private FailureClass? _failure;
        private bool _isProbe;

        public Counter Counter { get; private set; } = null!;

        public void Set(OutcomeHistory history, long bucket, in OutcomeSample sample, Counter counter)
        {
            (_history, _bucket, Counter) = (history, bucket, counter);
            (_type, _release, _outcome, _failure, _isProbe) = (sample.JobType, sample.Release, sample.Outcome, sample.Failure, sample.IsProbe);
        }

        public bool IsFor(OutcomeHistory history, long bucket, in OutcomeSample next) =>
            ReferenceEquals(history, _history) && bucket == _bucket && ReferenceEquals(next.JobType, _type)
            && ReferenceEquals(next.Release, _release) && ReferenceEquals(next.Outcome, _outcome)
            && next.Failure == _failure && next.IsProbe == _isProbe;
    }

    private readonly record struct CountKey(long Bucket, string Type, string Release, string Outcome, FailureClass? Failure, bool IsProbe);

    private readonly record struct ErrorKey(long Bucket, string Type, string Release, string Message);

    private sealed class Counter
    {
        public long Value;
    }

    /// <summary>Adds up one type and release's buckets.</summary>
    private sealed class TallyBuilder(string type, string release)
    {
        private readonly Dictionary<string, long> _outcomes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
        private long _attempts;
        private long _failures;
        private long _decode;
        private long _probesSucceeded;
        private long _probesFailed;

        public void Add(CountKey key, long count)
        {
            _outcomes[key.Outcome] = _outcomes.GetValueOrDefault(key.Outcome) + count;
            var failed = key.Outcome == "probe_failed" || key.Failure is { } f && f != FailureClass.Backpressure && key.Outcome != "ignored";
            if (key.IsProbe)
            {
                if (failed)
                {
                    _probesFailed += count;
                }
                else
                {
                    _probesSucceeded += count;
                }
                return;
            }
            if (key.Outcome == "backpressure")
            {
                return;
            }
            _attempts += count;
            if (failed)
            {
                _failures += count;
                if (key.Failure == FailureClass.Decode)
                {
                    _decode += count;
                }
            }
        }

        public void AddError(string message, long count) => _errors[message] = _errors.GetValueOrDefault(message) + count;

        public OutcomeTally Build(int topErrors) => new()
        {
            Type = type,
            Release = release,
            Attempts = _attempts,
            Failures = _failures,
            DecodeFailures = _decode,
            ProbesSucceeded = _probesSucceeded,
            ProbesFailed = _probesFailed,
            Outcomes = _outcomes,
            TopErrors = OutcomeTally.Top(_errors.Select(e => new ErrorCount(e.Key, e.Value)), topErrors),
        };
    }
}
