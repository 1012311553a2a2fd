using System.Diagnostics;
using System.Diagnostics.Metrics;
using Courier.Telemetry;

namespace Courier;

/// <summary>A counter (or up-down counter) of the <c>Courier</c> meter with bounded input tags (<see cref="BoundedInstrument{T}"/>).</summary>
public sealed class BoundedCounter<T> : BoundedInstrument<T>
    where T : struct
{
    private readonly Action<T, TagList> _add;

    internal BoundedCounter(Counter<T> counter, TagBounds bounds)
        : base(counter, bounds) => _add = (delta, tags) => counter.Add(delta, tags);

    internal BoundedCounter(UpDownCounter<T> counter, TagBounds bounds)
        : base(counter, bounds) => _add = (delta, tags) => counter.Add(delta, tags);

    /// <summary>Adds <paramref name="delta"/> to the series of <paramref name="tags"/> (bounded).</summary>
    public void Add(T delta, params ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Enabled)
        {
            _add(delta, Bound(tags));
        }
    }

    /// <summary>Adds <paramref name="delta"/> to the series of <paramref name="tags"/> (bounded).</summary>
    public void Add(T delta, in TagList tags)
    {
        if (Enabled)
        {
            _add(delta, Bound(tags));
        }
    }
}
