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
/// Why a reader and not a <see cref="System.Diagnostics.Metrics.MeterListener"/>: the hot path (one outcome, one
/// duration, in-flight up and down per job) is already aggregated by the SDK for the Prometheus exporter; a second
/// reader adds one more lock-free update of a pre-allocated metric point per measurement and nothing else, while a
/// listener would add a callback per measurement and a dictionary keyed by tag set that the watcher would have to
/// build and lock itself. The work that remains — walking the metric points — happens once per evaluation interval,
/// off the dispatcher's path. Measured in the dispatcher benchmark shape (one counter add with three tags): see the
/// "Built-in watcher" part of docs/operations.md for the figures.
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
