using System.Numerics;

namespace Courier.Dispatching.Routing;

/// <summary>
/// A count that workers on several cores change for every job: one cell per processor, each on a cache line of its
/// own, so two cores adding at once do not take the line from each other; its value is the sum of the cells.
/// </summary>
/// <remarks>
/// A single shared field costs little while one core writes it and a cache-line transfer each time another core
/// does, and a job changed four such fields of its type (started, executions, succeeded, in flight). A reading is
/// not a snapshot across cells: like a plain field read while workers write, it lies between the value when the read
/// began and when it ended. A cell may go negative (a job counted in on one core and out on another); the sum
/// does not.
/// </remarks>
internal sealed class StripedCounter
{
    private const int LongsPerLine = 8; // 64-byte cache lines

    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var cells = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = cells - 1;
        // A line of padding before the first cell and after the last, so no neighbouring object shares their lines.
        _cells = new long[(cells + 2) * LongsPerLine];
    }

    /// <summary>The sum of the cells.</summary>
    public long Value
    {
        get
        {
            var sum = 0L;
            for (var i = 0; i <= _mask; i++)
            {
                sum += Volatile.Read(ref _cells[(i + 1) * LongsPerLine]);
            }
            return sum;
        }
    }

    public void Increment() => Interlocked.Increment(ref Cell());

    public void Decrement() => Interlocked.Decrement(ref Cell());

    private ref long Cell() => ref _cells[((Thread.GetCurrentProcessorId() & _mask) + 1) * LongsPerLine];
}
