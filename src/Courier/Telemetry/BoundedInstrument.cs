using System.Diagnostics;
using System.Diagnostics.Metrics;
using Courier.Telemetry;

namespace Courier;

/// <summary>
/// An instrument of the <c>Courier</c> meter whose tags from input (job type, topic) are bounded before each
/// measurement (<see cref="CourierTelemetry.JobTypes"/>, <see cref="CourierTelemetry.Topics"/>), so callers pass the
/// raw values.
/// </summary>
public abstract class BoundedInstrument<T>
    where T : struct
{
    private readonly TagBounds _bounds;

    private protected BoundedInstrument(Instrument<T> instrument, TagBounds bounds)
    {
        Instrument = instrument;
        _bounds = bounds;
    }

    /// <summary>The underlying instrument (what a <see cref="MeterListener"/> sees).</summary>
    public Instrument<T> Instrument { get; }

    /// <summary>True when someone listens.</summary>
    public bool Enabled => Instrument.Enabled;

    private protected TagList Bound(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var list = new TagList(tags);
        _bounds.Apply(ref list);
        return list;
    }

    private protected TagList Bound(in TagList tags)
    {
        var list = tags;
        _bounds.Apply(ref list);
        return list;
    }
}
