using System.Collections.Concurrent;
using Courier.Dispatching.Monitoring;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Deduplication;

/// <summary>
/// The run claims this dispatcher holds (see <see cref="RunClaims"/>), kept alive while their jobs run: a claim lives
/// <see cref="Lifetime"/> from its last write and is rewritten a third of that later, so a dispatcher that dies (or
/// is killed) holds its jobs for seconds, not for the length of their timeouts, while a live one, even one expelled
/// from its group and not yet aware of it, keeps them as long as they run.
/// </summary>
/// <remarks>
/// A rewrite never lands after the run's outcome: <see cref="ReleaseAsync"/> marks the claim released under its lock
/// and waits for a rewrite already sent before the outcome is written over it.
/// </remarks>
internal sealed class HeldRunClaims : IDisposable
{
    /// <summary>How often the held claims are looked at.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly IJobStateStore _store;
    private readonly CourierTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private int _renewing;
    private Task _lastRenewal = Task.CompletedTask;

    /// <summary>The latest pass over the held claims (done when none runs); for tests that move a fake clock.</summary>
    internal Task LastRenewal => Volatile.Read(ref _lastRenewal);

    public HeldRunClaims(IJobStateStore store, CourierTelemetry telemetry, TimeProvider time, ILogger logger)
    {
        (_store, _telemetry, _time, _logger) = (store, telemetry, time, logger);
        _timer = time.CreateTimer(static self => ((HeldRunClaims)self!).RenewDue(), this, Tick, Tick);
    }

    /// <summary>
    /// How long a claim of <paramref name="rule"/> lives unless rewritten: twice its timeout, between 3 s (three ticks,
    /// so a rewrite always comes in time) and 30 s (how long the jobs of a dead dispatcher wait at most).
    /// </summary>
    public static TimeSpan Lifetime(JobRule rule) =>
        TimeSpan.FromTicks(Math.Clamp((rule.Timeout * 2).Ticks, (Tick * 3).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Keeps the claim <paramref name="value"/> under <paramref name="key"/> alive until released, or until its run is overdue.</summary>
    /// <remarks>
    /// A run ends within its rule's timeout; past twice that (an outcome write stuck behind a broken log, or a job the
    /// dispatcher lost track of) the claim is left to expire, so a leak holds a record for a lifetime, not forever.
    /// </remarks>
    public void Hold(string key, string value, JobRule rule)
    {
        var now = _time.GetUtcNow();
        _held[key] = new Held(value, Lifetime(rule), now, now + rule.Timeout * 2);
    }

    /// <summary>
    /// Stops keeping the claim under <paramref name="key"/> alive and waits for a rewrite already sent; the claim's
    /// value when this process held it, or null when it did not.
    /// </summary>
    public async ValueTask<string?> ReleaseAsync(string key)
    {
        if (!_held.TryRemove(key, out var held))
        {
            return null;
        }
        Task? renewing;
        lock (held)
        {
            held.Released = true;
            renewing = held.Renewing;
        }
        if (renewing is not null)
        {
            await renewing.ConfigureAwait(false); // never throws: RenewAsync catches
        }
        return held.Value;
    }

    private void RenewDue()
    {
        if (_held.IsEmpty || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }
        Volatile.Write(ref _lastRenewal, RenewDueAsync());
    }

    private async Task RenewDueAsync()
    {
        try
        {
            var now = _time.GetUtcNow();
            foreach (var (key, held) in _held)
            {
                if (now > held.Overdue)
                {
                    _held.TryRemove(key, out _);
                    continue;
                }
                if (now - held.Written < held.Lifetime / 3)
                {
                    continue;
                }
                Task renewing;
                lock (held)
                {
                    if (held.Released)
                    {
                        continue;
                    }
                    renewing = held.Renewing = RenewAsync(key, held, now);
                }
                await renewing.ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private async Task RenewAsync(string key, Held held, DateTimeOffset now)
    {
        try
        {
            await _store.SetAsync(key, held.Value, held.Lifetime).ConfigureAwait(false);
            held.Written = now;
        }
        catch (JobStateStoreException e)
        {
            // The claim may lapse: another reader may then run the job beside this one (it fails open, as the checks do).
            DispatcherMetrics.CountStateError(_telemetry, _store.Name, "renew");
            DedupLog.RenewFailed(_logger, e, _store.Name, key);
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>One held claim: its value, lifetime, last write, when its run is overdue, and the rewrite in flight.</summary>
    private sealed class Held(string value, TimeSpan lifetime, DateTimeOffset written, DateTimeOffset overdue)
    {
        public string Value { get; } = value;
        public TimeSpan Lifetime { get; } = lifetime;
        public DateTimeOffset Overdue { get; } = overdue;
        public DateTimeOffset Written { get; set; } = written;
        public bool Released { get; set; }
        public Task? Renewing { get; set; }
    }
}
