using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Courier.Tests.Runners;

public sealed class RunnerSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-shared-secret-of-32-characters");
    private static readonly byte[] Body = """{"type":"massMessage"}"""u8.ToArray();

    [Fact]
    public void Compute_IsTheHexHmacOfVersionTimestampAndBody()
    {
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, (byte[])[.. "v1:1700000000:"u8, .. Body]));

        Assert.Equal(expected, RunnerSignature.Compute(Secret, 1_700_000_000, Body));
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignature()
    {
        var signature = RunnerSignature.Compute(Secret, 1_700_000_000, Body);

        Assert.True(RunnerSignature.Verify(Secret, 1_700_000_000, Body, signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("v2=00")]
    [InlineData("v1=zz")]
    public void Verify_RefusesMalformedSignatures(string? signature) =>
        Assert.False(RunnerSignature.Verify(Secret, 1_700_000_000, Body, signature));

    [Fact]
    public void Verify_RefusesAnotherBodyTimestampOrKey()
    {
        var signature = RunnerSignature.Compute(Secret, 1_700_000_000, Body);

        Assert.False(RunnerSignature.Verify(Secret, 1_700_000_000, [.. Body, (byte)' '], signature));
        Assert.False(RunnerSignature.Verify(Secret, 1_700_000_001, Body, signature));
        Assert.False(RunnerSignature.Verify(Encoding.UTF8.GetBytes("another-secret-of-32-characters!"), 1_700_000_000, Body, signature));
    }

    [Fact]
    public void ParseSecret_ReadsTextAndBase64_AndRefusesShortSecrets()
    {
        Assert.Equal(Secret, RunnerSignature.ParseSecret("a-shared-secret-of-32-characters"));
        Assert.Equal(new byte[20], RunnerSignature.ParseSecret("base64:" + Convert.ToBase64String(new byte[20])));
        var error = Assert.Throws<ArgumentException>(() => RunnerSignature.ParseSecret("short"));
        Assert.Contains("at least 16 bytes", error.Message, StringComparison.Ordinal);
    }
}
