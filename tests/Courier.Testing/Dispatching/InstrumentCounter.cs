using System.Diagnostics.Metrics;

namespace Courier.Testing;

/// <summary>Adds up what is recorded on one counter (e.g. <c>courier.state.errors</c>) while it lives.</summary>
public sealed class InstrumentCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    /// <summary>Starts listening to <paramref name="counter"/>.</summary>
    public InstrumentCounter(Counter<long> counter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument, counter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    /// <summary>The sum recorded so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();
}
