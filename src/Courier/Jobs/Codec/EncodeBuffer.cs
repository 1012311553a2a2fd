using System.Buffers;
using System.Text.Json;

namespace Courier.Jobs.Codec;

/// <summary>A growable output buffer and the JSON writer over it, reused between encodes.</summary>
internal sealed class EncodeBuffer : IDisposable
{
    // Kept between calls up to this size, so a batch of a few thousand typical events does not regrow its buffer
    // every time; buffers that grew past it (huge events or batches) are dropped rather than kept alive.
    private const int MaxRetainedBytes = 2 * 1024 * 1024;

    public EncodeBuffer()
    {
        Writer = new Utf8JsonWriter(Output, JobEventWriter.WriterOptions);
    }

    public ArrayBufferWriter<byte> Output { get; } = new(4096);

    public Utf8JsonWriter Writer { get; }

    /// <summary>Whether the buffer is small enough to keep for the next encode.</summary>
    public bool Reusable => Output.Capacity <= MaxRetainedBytes;

    /// <summary>Empties the buffer and readies the writer for a new top-level value.</summary>
    public Utf8JsonWriter Restart()
    {
        Output.ResetWrittenCount();
        Writer.Reset(Output);
        return Writer;
    }

    /// <summary>Readies the writer for another top-level value after what is already written (batches).</summary>
    public Utf8JsonWriter Continue()
    {
        Writer.Reset(Output);
        return Writer;
    }

    public void Dispose() => Writer.Dispose();
}
