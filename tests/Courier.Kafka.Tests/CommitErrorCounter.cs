using System.Diagnostics.Metrics;

namespace Courier.Kafka.Tests;

/// <summary>Counts what a dispatcher adds to <c>courier.log.errors</c> with operation <c>commit</c>.</summary>
internal sealed class CommitErrorCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public CommitErrorCounter(CourierTelemetry telemetry)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, telemetry.LogErrors))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operation" && Equals(tag.Value, "commit"))
                {
                    Interlocked.Add(ref _count, value);
                }
            }
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
