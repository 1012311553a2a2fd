using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Courier.TestPrograms;

/// <summary>
/// Listens to one meter and renders every series as <c>NAME{tag=value,…} VALUE</c> lines: counters and up-down
/// counters as totals, histograms as counts, gauges as their last observation. A test program hands them to its
/// parent, which reads them as it would read a /metrics page.
/// </summary>
public sealed class MeterText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);

    public MeterText(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Observes the gauges now and renders every series, each line starting with <paramref name="linePrefix"/>.</summary>
    public string Render(string linePrefix = "")
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var (series, value) in _values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(linePrefix).Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument)
        {
            case ObservableGauge<long> or ObservableGauge<double> or ObservableGauge<int>:
                _values[Series(instrument.Name, tags)] = value;
                break;
            case Histogram<double> or Histogram<long>:
                _values.AddOrUpdate(Series(instrument.Name + "_count", tags), 1, (_, n) => n + 1);
                break;
            default:
                _values.AddOrUpdate(Series(instrument.Name, tags), value, (_, total) => total + value);
                break;
        }
    }

    private static string Series(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return name;
        }
        // A tag without a value says nothing about the series.
        var sorted = tags.ToArray().Where(t => t.Value is not null).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}");
        return name + "{" + string.Join(',', sorted) + "}";
    }
}
