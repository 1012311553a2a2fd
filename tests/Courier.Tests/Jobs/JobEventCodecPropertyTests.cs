using CsCheck;
using Xunit;

namespace Courier.Tests.Jobs;

public sealed class JobEventCodecPropertyTests
{
    private readonly JobEventCodec _codec = new(new CourierOptions());

    [Fact]
    public void EncodeDecode_RoundTripsEveryValidEvent()
    {
        JobEventGen.Event.Sample(original =>
        {
            var bytes = _codec.Encode(original);
            var decoded = _codec.Decode(bytes);

            Assert.Null(decoded.Error);
            JobEventAssert.Equal(original, decoded.Event!);
            Assert.Equal(bytes, _codec.Encode(decoded.Event!));
        }, iter: 500);
    }

    [Fact]
    public void Decode_NeverThrows_OnMutatedEvents()
    {
        var gen = Gen.Select(JobEventGen.Event, Gen.Int[0, 1_000_000].Array[1, 4], Gen.Byte.Array[1, 4], Gen.Int[0, 2]);
        gen.Sample((jobEvent, positions, values, mode) =>
        {
            var bytes = _codec.Encode(jobEvent);
            switch (mode)
            {
                case 0:
                    // overwrite a few bytes
                    for (var i = 0; i < positions.Length; i++)
                    {
                        bytes[positions[i] % bytes.Length] = values[i % values.Length];
                    }
                    break;
                case 1:
                    // cut the record short
                    bytes = bytes[..(positions[0] % bytes.Length)];
                    break;
                default:
                    // drop one byte
                    var at = positions[0] % bytes.Length;
                    bytes = [.. bytes[..at], .. bytes[(at + 1)..]];
                    break;
            }

            var result = _codec.Decode(bytes);

            Assert.True(result.Success != (result.Error is not null));
        }, iter: 2000);
    }

    [Fact]
    public void Decode_NeverThrows_OnRandomBytes()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var result = _codec.Decode(bytes);
            Assert.NotNull(result.Error);
        }, iter: 2000);
    }
}
