using Courier.Sqlite.Records;
using CsCheck;
using Xunit;

namespace Courier.Sqlite.Tests;

public sealed class HeaderCodecTests
{
    [Fact]
    public void Encode_NoHeaders_IsNull()
    {
        Assert.Null(HeaderCodec.Encode(null));
        Assert.Null(HeaderCodec.Encode([]));
    }

    [Fact]
    public void Headers_RoundTrip_InOrder_WithDuplicatesAndEmptyValues()
    {
        var gen = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 20], Gen.Byte.Array[0, 300]).Array[1, 10];
        gen.Sample(headers =>
        {
            var original = headers.Select(h => new LogHeader(h.Item1, h.Item2)).ToList();
            var decoded = HeaderCodec.Decode(HeaderCodec.Encode(original));
            Assert.Equal(original.Select(h => h.Key), decoded.Select(h => h.Key));
            Assert.Equal(original.Select(h => Convert.ToHexString(h.Value)), decoded.Select(h => Convert.ToHexString(h.Value)));
        });
    }
}
