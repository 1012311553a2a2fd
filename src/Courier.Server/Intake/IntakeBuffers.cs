using System.Buffers;

namespace Courier.Server.Intake;

/// <summary>
/// The intake's large buffers: the body's copy and the results, rented from pools of its own that keep at most one
/// array of each size. What one request rented is reused by the next; unlike the shared pool, which keeps arrays per
/// thread and per core, copies of a 10 MiB body cannot pile up (at most one per power-of-two size, under twice the
/// body limit rounded up to a power of two in all).
/// </summary>
internal sealed class IntakeBuffers(int maxBodyBytes, int maxEvents)
{
    private readonly ArrayPool<byte> _bodies = ArrayPool<byte>.Create(maxBodyBytes, maxArraysPerBucket: 1);
    private readonly ArrayPool<IntakeEventResult> _results = ArrayPool<IntakeEventResult>.Create(maxEvents, maxArraysPerBucket: 1);

    /// <summary>A rented array holding <paramref name="source"/> from index 0; give it back with <see cref="ReturnBody"/>.</summary>
    public byte[] CopyBody(ReadOnlySequence<byte> source)
    {
        var array = _bodies.Rent(Math.Max(checked((int)source.Length), 1));
        source.CopyTo(array);
        return array;
    }

    public void ReturnBody(byte[] array) => _bodies.Return(array);

    public IntakeEventResult[] RentResults(int count) => _results.Rent(count);

    public void ReturnResults(IntakeEventResult[] array) => _results.Return(array, clearArray: true);
}
