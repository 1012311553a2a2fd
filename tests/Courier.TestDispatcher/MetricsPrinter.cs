using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Courier.TestDispatcher;

/// <summary>
/// Listens to Courier's meter and prints every <c>courier.*</c> instrument as <c>metric NAME{tag=value,…} VALUE</c>
/// lines on stdout: counters as totals, histograms as counts, gauges as their last observation. A parent test reads
/// them as it would read a /metrics page.
/// </summary>
internal sealed class MetricsPrinter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Lock _printLock = new();

    public MetricsPrinter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CourierTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Observes the gauges now and prints every series.</summary>
    public void Print(TextWriter output)
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var (series, value) in _values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append("metric ").Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        lock (_printLock)
        {
            output.Write(text.ToString());
            output.Flush();
        }
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
        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}");
        return name + "{" + string.Join(',', sorted) + "}";
    }
}
