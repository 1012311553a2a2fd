using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Courier.EndToEnd.Incident;

/// <summary>
/// Sums <c>courier.jobs.decode_failures</c> per (job type, reason) as a metrics backend would see it. The assembly
/// runs its tests one at a time, so the only Courier meters publishing are this test's.
/// </summary>
internal sealed class DecodeFailureMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Type, string Reason), long> _counts = new();

    public DecodeFailureMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CourierTelemetry.Name && instrument.Name == "courier.jobs.decode_failures")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? type = null;
            string? reason = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "job.type":
                        type = tag.Value as string;
                        break;
                    case "reason":
                        reason = tag.Value as string;
                        break;
                }
            }
            _counts.AddOrUpdate((type ?? "(none)", reason ?? "(none)"), value, (_, n) => n + value);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<(string Type, string Reason), long> Snapshot() => new Dictionary<(string, string), long>(_counts);

    public void Dispose() => _listener.Dispose();
}
