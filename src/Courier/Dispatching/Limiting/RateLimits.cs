using System.Collections.Concurrent;
using Courier.Dispatching.Admission;
using Courier.Dispatching.Routing;
using Courier.State;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Limiting;

/// <summary>
/// The rules' rate limits (<see cref="JobRule.RateLimit"/>, docs/operations.md "Rate limits"). The per-type limit is
/// a <see cref="TypeRateLimiter"/> on each type (<see cref="Attach"/>) that the consumer asks before it starts a
/// record, so a limited type holds no worker and other types are untouched. The per-database limit is the last
/// admission check: a job over its database's budget for the current second waits in a retry tier until the next
/// window (same attempt, no failure), so one busy database never holds the type's slots.
/// </summary>
internal sealed class RateLimits : IJobAdmission
{
    /// <summary>Local per-database windows kept before the old ones are dropped (no store: per process).</summary>
    private const int MaxLocalWindows = 10_000;

    private readonly SharedRateCounter? _shared;
    private readonly TimeProvider _time;
    private readonly Action _wake;
    private readonly ConcurrentDictionary<(string Type, string Database), RateWindow> _local = new();

    /// <param name="store">The shared store; null counts in this process only.</param>
    /// <param name="telemetry">Where store errors are counted.</param>
    /// <param name="time">The dispatcher's clock (windows are its unix seconds).</param>
    /// <param name="logger">Where store errors are logged.</param>
    /// <param name="wake">Wakes the consumer thread (a shared grant arrived).</param>
    public RateLimits(IJobStateStore? store, CourierTelemetry telemetry, TimeProvider time, ILogger logger, Action wake)
    {
        _shared = store is null ? null
            : new SharedRateCounter(store, telemetry, (e, key) => LimitingLog.StoreFailed(logger, e, store.Name, key));
        _time = time;
        _wake = wake;
    }

    /// <summary>Gives <paramref name="type"/> its per-type limiter when its rule has one.</summary>
    public void Attach(TypeState type)
    {
        if (type.Rule.RateLimit?.PerSecond is { } perSecond && type.Rate is null)
        {
            type.Rate = new TypeRateLimiter(type.Name, perSecond, _shared, _wake);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Type.Rule.RateLimit?.PerDatabase is not { } limit)
        {
            return AdmissionVerdict.Run;
        }
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var second = RateWindow.SecondOf(nowMs);
        var (type, database) = (request.Type.Name, request.Event.Database);
        bool room;
        if (_shared is null)
        {
            if (_local.Count >= MaxLocalWindows)
            {
                _local.Clear();
            }
            room = _local.GetOrAdd((type, database), _ => new RateWindow(limit)).TryTake(second);
        }
        else
        {
            room = await _shared.CountAsync($"rate:{type}:{database}:{second}", cancellationToken).ConfigureAwait(false) is not { } total
                || total <= limit;
        }
        return room ? AdmissionVerdict.Run : AdmissionVerdict.WaitFor(TimeSpan.FromMilliseconds((second + 1) * 1000 - nowMs),
            $"database {database} is over its rate limit of {limit} {type} jobs per second");
    }

    /// <inheritdoc />
    public ValueTask OutcomeAsync(AdmissionRequest request, string outcome, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
