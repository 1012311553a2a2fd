using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Courier.Server.Alerting;

/// <summary>
/// The watcher's view of the process's own metrics: a reader on the server's OpenTelemetry meter provider, beside the
/// Prometheus exporter, collected on demand (<see cref="Read"/>) with cumulative temporality, so each snapshot holds
/// the same sums and gauges a scrape of <c>/metrics</c> would.
/// </summary>
/// <remarks>
/// Why a reader and not a <see cref="System.Diagnostics.Metrics.MeterListener"/>: the hot path (an outcome, a
/// duration, in-flight up and down per job) is already aggregated by the SDK for the Prometheus exporter; a second
/// reader adds one more update of a metric point per measurement, while a listener adds a callback per measurement
/// plus a tag-set key and a concurrent dictionary that the watcher would build itself. Measured on the development
/// machine (a counter add with three tags, 5 million adds, .NET 10 Release): one reader 51-92 ns, two readers
/// 112-114 ns, one reader plus a summing listener 222-257 ns; so the reader costs about 20-60 ns per measurement,
/// some 0.1-0.3 µs per job, and the listener about three times that. Walking the metric points happens once per
/// evaluation interval, off the dispatcher's path. Like the exporter, the reader sees only the meter of its own host
/// (the provider is subscribed to the meters of the host's meter factory, see <c>HostTelemetry</c>): another service
/// in the same process, with a meter of the same name, adds nothing to this watcher's snapshots.
/// </remarks>
internal sealed class SnapshotMetricReader : BaseExportingMetricReader
{
    private readonly SnapshotExporter _exporter;
    private readonly Lock _gate = new();

    /// <summary>Creates the reader; add it to the meter provider with <c>AddReader</c>.</summary>
    public SnapshotMetricReader()
        : this(new SnapshotExporter())
    {
    }

    private SnapshotMetricReader(SnapshotExporter exporter)
        : base(exporter)
    {
        _exporter = exporter;
        TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
    }

    /// <summary>Collects every sum and gauge now; an empty snapshot before the meter provider is built.</summary>
    public MetricSnapshot Read(DateTimeOffset now)
    {
        lock (_gate)
        {
            _exporter.Collected = new Dictionary<string, IReadOnlyDictionary<string, SeriesValue>>(StringComparer.Ordinal);
            return Collect() ? new MetricSnapshot(now, _exporter.Collected) : MetricSnapshot.Empty(now);
        }
    }

    private sealed class SnapshotExporter : BaseExporter<Metric>
    {
        public Dictionary<string, IReadOnlyDictionary<string, SeriesValue>> Collected { get; set; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                var type = metric.MetricType;
                if (!type.IsSum() && !type.IsGauge())
                {
                    continue;
                }
                var series = new Dictionary<string, SeriesValue>(StringComparer.Ordinal);
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var tag in point.Tags)
                    {
                        labels[tag.Key.Replace('.', '_')] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
                    }
                    var value = (type.IsSum(), type.IsDouble()) switch
                    {
                        (true, true) => point.GetSumDouble(),
                        (true, false) => point.GetSumLong(),
                        (false, true) => point.GetGaugeLastValueDouble(),
                        (false, false) => point.GetGaugeLastValueLong(),
                    };
                    series[SeriesValue.KeyOf(labels)] = new SeriesValue(labels, value);
                }
                Collected[metric.Name] = series;
            }
            return ExportResult.Success;
        }
    }
}
