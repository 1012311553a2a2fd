using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Courier.Runners;

namespace Courier;

/// <summary>
/// Request signing for HTTP runners (docs/runners.md). Protocol v2, what dispatchers send:
/// <c>v2=</c> + lowercase hex of HMAC-SHA256(secret, <see cref="RunnerSignedRequest.CanonicalString"/>), covering
/// timestamp, method, target, host, key id, nonce, attempt, timeout and body. Protocol v1, accepted by runners only
/// when configured to: <c>v1=</c> + lowercase hex of HMAC-SHA256(secret, "v1:" + timestamp + ":" + body).
/// Hex is lowercase only: a signature in uppercase does not verify.
/// </summary>
public static class RunnerSignature
{
    /// <summary>The version dispatchers sign with.</summary>
    public const string V2 = "v2";

    /// <summary>The first version: timestamp and body only. Runners refuse it unless configured to accept it.</summary>
    public const string V1 = "v1";

    /// <summary>The <see cref="RunnerProtocol.SignatureHeader"/> value of <paramref name="request"/> with <paramref name="body"/>.</summary>
    public static string ComputeV2(ReadOnlySpan<byte> secret, in RunnerSignedRequest request, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = SignatureHashes.Hmac(secret);
        hmac.AppendData(Encoding.UTF8.GetBytes(request.CanonicalString(body)));
        hmac.GetHashAndReset(mac);
        return Header(V2, mac);
    }

    /// <summary>True when <paramref name="signature"/> is the v2 signature of this request and body under <paramref name="secret"/>.</summary>
    public static bool VerifyV2(ReadOnlySpan<byte> secret, in RunnerSignedRequest request, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && SameText(ComputeV2(secret, request, body), signature);

    /// <summary>The v1 <see cref="RunnerProtocol.SignatureHeader"/> value for a body signed at <paramref name="unixSeconds"/>.</summary>
    public static string ComputeV1(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = SignatureHashes.Hmac(secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{V1}:{unixSeconds}:")));
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
        return Header(V1, mac);
    }

    /// <summary>True when <paramref name="signature"/> is this body's v1 signature at <paramref name="unixSeconds"/> under <paramref name="secret"/>.</summary>
    public static bool VerifyV1(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && SameText(ComputeV1(secret, unixSeconds, body), signature);

    /// <summary>Reads a secret as configured: UTF-8 text, or <c>base64:</c> followed by base64 for binary keys.</summary>
    public static byte[] ParseSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var bytes = secret.StartsWith("base64:", StringComparison.Ordinal)
            ? Convert.FromBase64String(secret["base64:".Length..])
            : Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < 16)
        {
            throw new ArgumentException($"a runner signing secret must be at least 16 bytes, got {bytes.Length}", nameof(secret));
        }
        return bytes;
    }

    private static string Header(string version, ReadOnlySpan<byte> mac) => version + "=" + Convert.ToHexStringLower(mac);

    /// <summary>Ordinal equality in constant time for equal lengths (the length of a signature is no secret).</summary>
    private static bool SameText(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));
}
