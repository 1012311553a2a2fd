using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Courier.TestRunner;

/// <summary>
/// Listens to the runner's meter (<see cref="CourierRunnerTelemetry.Name"/>) and renders every series as
/// <c>NAME{tag=value,…} VALUE</c> lines: counters and up-down counters as totals, histograms as counts. Served at
/// <c>/test/metrics</c>, so a test reads the runner's own counts as it would read its /metrics page.
/// </summary>
internal sealed class RunnerMetricsText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);

    public RunnerMetricsText()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CourierRunnerTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (series, value) in _values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(series).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument is Histogram<double> or Histogram<long>)
        {
            _values.AddOrUpdate(Series(instrument.Name + "_count", tags), 1, (_, n) => n + 1);
        }
        else
        {
            _values.AddOrUpdate(Series(instrument.Name, tags), value, (_, total) => total + value);
        }
    }

    private static string Series(string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return name;
        }
        var sorted = tags.ToArray().Where(t => t.Value is not null).OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}");
        return name + "{" + string.Join(',', sorted) + "}";
    }
}
