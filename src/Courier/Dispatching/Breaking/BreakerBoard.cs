using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Routing;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Breaking;

/// <summary>
/// The dispatcher's breakers, one per job type whose rule has one: gives each type its breaker as the type becomes
/// known (<see cref="Attach"/>), tells it the type's outcomes, and feeds the <c>courier.breaker.state</c> gauge.
/// </summary>
internal sealed class BreakerBoard : IOutcomeListener, IDisposable
{
    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CourierTelemetry _telemetry;
    private readonly Action _pauseChanged;

    /// <param name="time">The dispatcher's clock.</param>
    /// <param name="logger">Where transitions are logged.</param>
    /// <param name="telemetry">Where transitions are counted and states observed.</param>
    /// <param name="pauseChanged">Tells the consumer thread that a pause or an allowance changed.</param>
    public BreakerBoard(TimeProvider time, ILogger logger, CourierTelemetry telemetry, Action pauseChanged)
    {
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
        _pauseChanged = pauseChanged;
        telemetry.ObserveBreakers(() => _breakers.Select(b => new Measurement<long>((long)b.Value.State,
            new KeyValuePair<string, object?>(TagBounds.JobType, b.Key))));
    }

    /// <summary>Gives a newly known type its breaker, unless its rule turns it off.</summary>
    public void Attach(TypeState type)
    {
        if (type.Rule.Breaker.Enabled && type.Breaker is null)
        {
            type.Breaker = _breakers.GetOrAdd(type.Name, _ => new Breaker(type, type.Rule.Breaker, _time, _logger, _telemetry, _pauseChanged));
        }
    }

    /// <inheritdoc />
    public void Observe(in OutcomeSample sample)
    {
        if (_breakers.TryGetValue(sample.JobType, out var breaker))
        {
            breaker.Observe(sample);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var breaker in _breakers.Values)
        {
            breaker.Dispose();
        }
    }
}
