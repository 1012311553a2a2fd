using System.Buffers;

namespace Courier.Bench.Http;

/// <summary>A request body in a pooled array, as the runner holds one.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _array;
    private readonly int _length;

    private PooledBody(byte[] array, int length)
    {
        _array = array;
        _length = length;
    }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    public static PooledBody Copy(ReadOnlySequence<byte> source)
    {
        var length = checked((int)source.Length);
        var array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        source.CopyTo(array);
        return new PooledBody(array, length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
