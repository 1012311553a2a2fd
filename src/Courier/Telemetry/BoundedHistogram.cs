using System.Diagnostics;
using System.Diagnostics.Metrics;
using Courier.Telemetry;

namespace Courier;

/// <summary>A histogram of the <c>Courier</c> meter with bounded input tags (<see cref="BoundedInstrument{T}"/>).</summary>
public sealed class BoundedHistogram<T> : BoundedInstrument<T>
    where T : struct
{
    private readonly Histogram<T> _histogram;

    internal BoundedHistogram(Histogram<T> histogram, TagBounds bounds)
        : base(histogram, bounds) => _histogram = histogram;

    /// <summary>Records <paramref name="value"/> in the series of <paramref name="tags"/> (bounded).</summary>
    public void Record(T value, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Enabled)
        {
            _histogram.Record(value, Bound(tags));
        }
    }
}
