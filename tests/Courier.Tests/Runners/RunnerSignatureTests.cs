using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Courier.Tests.Runners;

public sealed class RunnerSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-shared-secret-of-32-characters");
    private static readonly byte[] Body = """{"type":"massMessage"}"""u8.ToArray();

    private static readonly RunnerSignedRequest Request = new(1_700_000_000, "POST", "/rpc/RunSingleJob?x=1", "Runner-1.Example:5080", "k2026",
        "00112233445566778899aabbccddeeff", "2", "600000");

    [Fact]
    public void CanonicalString_IsTheDocumentedLines()
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Body));

        Assert.Equal(
            $"v2\n1700000000\nPOST\n/rpc/RunSingleJob?x=1\nrunner-1.example:5080\nk2026\n00112233445566778899aabbccddeeff\n2\n600000\n{bodyHash}",
            Request.CanonicalString(Body));
    }

    [Fact]
    public void ComputeV2_MatchesTheDocumentedTestVector()
    {
        // docs/runners.md, "Signature v2": the example request with an empty body.
        Assert.Equal("v2=a4f81e01009935623f58f7e5f8dd90693127f2c7e33e73ceece23843c98b38af", RunnerSignature.ComputeV2(Secret, Request, []));
    }

    [Fact]
    public void ComputeV2_IsTheLowercaseHexHmacOfTheCanonicalString()
    {
        var expected = "v2=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes(Request.CanonicalString(Body))));

        Assert.Equal(expected, RunnerSignature.ComputeV2(Secret, Request, Body));
        Assert.True(RunnerSignature.VerifyV2(Secret, Request, Body, expected));
        Assert.True(RunnerSignature.VerifyV2(Secret, Request with { Host = "runner-1.example:5080" }, Body, expected)); // host: any case
    }

    [Fact]
    public void ComputeV2_OfAProbe_SignsTheMarkAsAnEleventhLine_AndMatchesTheDocumentedTestVector()
    {
        // docs/runners.md, "Signature v2": the same request carrying Courier-Probe: 1.
        var probe = Request with { Probe = "1" };
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(Body));

        Assert.Equal(
            $"v2\n1700000000\nPOST\n/rpc/RunSingleJob?x=1\nrunner-1.example:5080\nk2026\n00112233445566778899aabbccddeeff\n2\n600000\n1\n{bodyHash}",
            probe.CanonicalString(Body));
        Assert.Equal("v2=46383cbd2d8b9e9670ad5c993e6ab2f4d5334d8d69f82d8b2fa6e8451da75a78", RunnerSignature.ComputeV2(Secret, probe, []));
        // The mark cannot be added to (or taken off) a signed request.
        Assert.False(RunnerSignature.VerifyV2(Secret, probe, Body, RunnerSignature.ComputeV2(Secret, Request, Body)));
        Assert.False(RunnerSignature.VerifyV2(Secret, Request, Body, RunnerSignature.ComputeV2(Secret, probe, Body)));
    }

    public static TheoryData<string> SignedParts => ["timestamp", "method", "target", "host", "key id", "nonce", "attempt", "timeout", "body", "secret"];

    [Theory]
    [MemberData(nameof(SignedParts))]
    public void VerifyV2_RefusesAChangeToAnySignedPart(string part)
    {
        var signature = RunnerSignature.ComputeV2(Secret, Request, Body);
        var (request, body, secret) = part switch
        {
            "timestamp" => (Request with { Timestamp = Request.Timestamp + 1 }, Body, Secret),
            "method" => (Request with { Method = "PUT" }, Body, Secret),
            "target" => (Request with { PathAndQuery = "/rpc/RunSingleJob" }, Body, Secret),
            "host" => (Request with { Host = "runner-2.example:5080" }, Body, Secret),
            "key id" => (Request with { KeyId = "k2027" }, Body, Secret),
            "nonce" => (Request with { Nonce = "ffeeddccbbaa99887766554433221100" }, Body, Secret),
            "attempt" => (Request with { Attempt = "3" }, Body, Secret),
            "timeout" => (Request with { TimeoutMs = "1" }, Body, Secret),
            "body" => (Request, [.. Body, (byte)' '], Secret),
            _ => (Request, Body, Encoding.UTF8.GetBytes("another-secret-of-32-characters!")),
        };

        Assert.False(RunnerSignature.VerifyV2(secret, request, body, signature));
    }

    [Fact]
    public void VerifyV2_RefusesUppercaseHex()
    {
        var signature = RunnerSignature.ComputeV2(Secret, Request, Body);

        Assert.False(RunnerSignature.VerifyV2(Secret, Request, Body, "v2=" + signature[3..].ToUpperInvariant()));
    }

    [Fact]
    public void ComputeV1_IsTheHexHmacOfVersionTimestampAndBody()
    {
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, (byte[])[.. "v1:1700000000:"u8, .. Body]));

        Assert.Equal(expected, RunnerSignature.ComputeV1(Secret, 1_700_000_000, Body));
        Assert.True(RunnerSignature.VerifyV1(Secret, 1_700_000_000, Body, expected));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=")]
    [InlineData("v2=00")]
    [InlineData("v1=zz")]
    public void VerifyV1_RefusesMalformedSignatures(string? signature) =>
        Assert.False(RunnerSignature.VerifyV1(Secret, 1_700_000_000, Body, signature));

    [Fact]
    public void VerifyV1_RefusesAnotherBodyTimestampOrKey()
    {
        var signature = RunnerSignature.ComputeV1(Secret, 1_700_000_000, Body);

        Assert.False(RunnerSignature.VerifyV1(Secret, 1_700_000_000, [.. Body, (byte)' '], signature));
        Assert.False(RunnerSignature.VerifyV1(Secret, 1_700_000_001, Body, signature));
        Assert.False(RunnerSignature.VerifyV1(Encoding.UTF8.GetBytes("another-secret-of-32-characters!"), 1_700_000_000, Body, signature));
    }

    [Fact]
    public void Sign_SignsTheRequestAsItWillBeSent_WithANewNonceEachTime()
    {
        var key = new RunnerKey("k2026", "a-shared-secret-of-32-characters");
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "http://Runner-1.example:5080/rpc/RunSingleJob?x=1");
            request.Headers.Add(RunnerProtocol.AttemptHeader, "2");
            request.Headers.Add(RunnerProtocol.TimeoutHeader, "600000");
            RunnerRequestSigner.Sign(request, key, 1_700_000_000, Body);
            return request;
        }
        using var first = Build();
        using var second = Build();
        string Header(HttpRequestMessage r, string name) => r.Headers.GetValues(name).Single();

        var nonce = Header(first, RunnerProtocol.NonceHeader);
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        Assert.NotEqual(nonce, Header(second, RunnerProtocol.NonceHeader));
        Assert.NotEqual(Header(first, RunnerProtocol.SignatureHeader), Header(second, RunnerProtocol.SignatureHeader));
        Assert.Equal("1700000000", Header(first, RunnerProtocol.TimestampHeader));
        Assert.Equal("k2026", Header(first, RunnerProtocol.KeyIdHeader));
        Assert.Equal(RunnerSignature.ComputeV2(key.Secret, Request with { Nonce = nonce }, Body), Header(first, RunnerProtocol.SignatureHeader));
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
