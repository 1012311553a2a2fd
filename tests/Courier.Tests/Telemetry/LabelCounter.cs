using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Courier.Tests.Telemetry;

/// <summary>
/// A meter factory whose meters only its <see cref="LabelCounter"/> listens to (tests running at the same time have
/// their own), summing one instrument by the value of one tag as a metrics backend would.
/// </summary>
internal sealed class LabelCounter : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);

    public LabelCounter(string instrumentName, string tag)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this) && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == tag)
                {
                    _sums.AddOrUpdate(t.Value as string ?? "(none)", value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The sums so far by tag value.</summary>
    public IReadOnlyDictionary<string, long> Sums => new Dictionary<string, long>(_sums, StringComparer.Ordinal);

    /// <summary>Reads the observable gauges once.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
