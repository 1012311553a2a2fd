using System.Buffers;

namespace Courier.Runner.Endpoint;

/// <summary>
/// A request body copied into a pooled array. It goes back to the pool once the execution that reads it has finished
/// (which may be after the answer, when a handler outlives its execution limit).
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _array;

    private RequestBody(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _array is { } a ? a.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(RequestBody));

    public ReadOnlySpan<byte> Span => Memory.Span;

    public static RequestBody Copy(ReadOnlySequence<byte> source)
    {
        var length = checked((int)source.Length);
        var array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        source.CopyTo(array);
        return new RequestBody(array, length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
