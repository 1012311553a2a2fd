using Cronos;

namespace Courier.Recurring;

/// <summary>One recurring job's parsed schedule and what this dispatcher knows of its ticks.</summary>
internal sealed class RecurringSchedule(RecurringJob job)
{
    /// <summary>Most ticks one pass looks at: a schedule far behind (every second, a week down) is not walked tick by tick.</summary>
    private const int MaxTicksPerPass = 10_000;

    private long _lastTickMs = long.MinValue;
    private long _enqueued;
    private long _checkedAtMs = long.MinValue;

    public RecurringJob Job { get; } = job;
    public CronExpression Cron { get; } = job.ParseCron();
    public TimeZoneInfo Zone { get; } = job.FindZone();

    /// <summary>The latest tick known to be enqueued (by this dispatcher or another), or null.</summary>
    public DateTimeOffset? LastTick
    {
        get
        {
            var ms = Interlocked.Read(ref _lastTickMs);
            return ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
    }

    /// <summary>Jobs this dispatcher enqueued.</summary>
    public long Enqueued => Interlocked.Read(ref _enqueued);

    /// <summary>Records that <paramref name="tick"/> was enqueued (keeps the latest).</summary>
    public void Saw(DateTimeOffset tick)
    {
        var ms = tick.ToUnixTimeMilliseconds();
        long seen;
        do
        {
            seen = Interlocked.Read(ref _lastTickMs);
            if (seen >= ms)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _lastTickMs, ms, seen) != seen);
    }

    /// <summary>Records a finished pass at <paramref name="now"/> (after the timer of the next one is set).</summary>
    public void Checked(DateTimeOffset now) => Interlocked.Exchange(ref _checkedAtMs, now.ToUnixTimeMilliseconds());

    /// <summary>Counts a job this dispatcher enqueued.</summary>
    public void CountEnqueued() => Interlocked.Increment(ref _enqueued);

    /// <summary>The first tick strictly after <paramref name="from"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset from) => Cron.GetNextOccurrence(from, Zone);

    /// <summary>The ticks in (<paramref name="after"/>, <paramref name="upTo"/>], oldest first (at most the latest <see cref="MaxTicksPerPass"/>).</summary>
    public IReadOnlyList<DateTimeOffset> Due(DateTimeOffset after, DateTimeOffset upTo)
    {
        var ticks = new Queue<DateTimeOffset>();
        // Cronos's upper bound is exclusive; a tick exactly at upTo is due.
        foreach (var tick in Cron.GetOccurrences(after, upTo, Zone, fromInclusive: false, toInclusive: true))
        {
            if (ticks.Count == MaxTicksPerPass)
            {
                ticks.Dequeue();
            }
            ticks.Enqueue(tick);
        }
        return [.. ticks];
    }

    /// <summary>How long a tick's claim is kept: ten periods of the schedule, between a minute and a week.</summary>
    public TimeSpan ClaimTtl(DateTimeOffset tick)
    {
        var period = Next(tick) is { } next ? next - tick : TimeSpan.FromDays(7);
        return TimeSpan.FromTicks(Math.Clamp(period.Ticks * 10, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromDays(7).Ticks));
    }

    /// <summary>
    /// Which of <paramref name="due"/> to enqueue. At the first pass after a start every due tick was missed while no
    /// dispatcher ran: <see cref="CatchUp.Skip"/> enqueues none, <see cref="CatchUp.Once"/> the latest,
    /// <see cref="CatchUp.All"/> the latest <see cref="RecurringJob.MaxCatchUp"/>. At a later pass the latest tick is on
    /// time and the earlier ones were missed by a stalled process or a clock jump: the latest is always enqueued, and
    /// with <see cref="CatchUp.All"/> the ones before it up to <see cref="RecurringJob.MaxCatchUp"/> in all.
    /// </summary>
    public IReadOnlyList<DateTimeOffset> ToEnqueue(IReadOnlyList<DateTimeOffset> due, bool firstPass)
    {
        if (due.Count == 0)
        {
            return [];
        }
        return Job.CatchUp switch
        {
            CatchUp.All => [.. due.Skip(Math.Max(0, due.Count - Job.MaxCatchUp))],
            CatchUp.Skip when firstPass => [],
            _ => [due[^1]],
        };
    }

    /// <summary>As stats and the admin API show it.</summary>
    public RecurringStatus Status(DateTimeOffset now) => new()
    {
        Name = Job.Name,
        Type = Job.Type,
        Cron = Job.Cron,
        TimeZone = Job.TimeZone,
        CatchUp = Job.CatchUp.ToString().ToLowerInvariant(),
        LastTick = LastTick,
        NextTick = Next(LastTick is { } last && last > now ? last : now),
        Enqueued = Enqueued,
        CheckedAt = Interlocked.Read(ref _checkedAtMs) is var ms && ms != long.MinValue ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
    };
}
