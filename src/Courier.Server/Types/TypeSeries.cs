namespace Courier.Server.Types;

/// <summary>
/// One type's rings in <see cref="TypeHistory"/>: per sample slot, the executions, failed attempts and successes
/// counted in the interval (deltas) and the lag read at the sample. Fixed size; slots are shared with the history's time ring.
/// </summary>
internal sealed class TypeSeries(int capacity)
{
    public double[] Executions { get; } = new double[capacity];
    public double[] Failures { get; } = new double[capacity];
    public double[] Succeeded { get; } = new double[capacity];
    public double[] Lag { get; } = new double[capacity];

    /// <summary>The counts of the previous sample, which the next one's deltas are taken from.</summary>
    public (long Executions, long Failures, long Succeeded) Last { get; set; }

    /// <summary>Writes one sample's values into <paramref name="slot"/>.</summary>
    public void Set(int slot, double executions, double failures, double succeeded, double lag)
    {
        Executions[slot] = executions;
        Failures[slot] = failures;
        Succeeded[slot] = succeeded;
        Lag[slot] = lag;
    }
}
