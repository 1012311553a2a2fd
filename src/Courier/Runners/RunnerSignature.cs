using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Courier;

/// <summary>
/// Request signing for HTTP runners: <c>v1=</c> + lowercase hex of HMAC-SHA256(secret, "v1:" + timestamp + ":" + body),
/// where timestamp is the decimal Unix seconds sent in <see cref="RunnerProtocol.TimestampHeader"/>. Signing the
/// timestamp with the body lets a runner refuse a replayed request once it is older than its window.
/// </summary>
public static class RunnerSignature
{
    private const string Version = "v1";

    /// <summary>The <see cref="RunnerProtocol.SignatureHeader"/> value for a body signed at <paramref name="unixSeconds"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, unixSeconds, body, mac);
        return Version + "=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// True when <paramref name="signature"/> is this body's signature at <paramref name="unixSeconds"/> under
    /// <paramref name="secret"/>. Compared in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body, string? signature)
    {
        if (signature is null || !signature.StartsWith(Version + "=", StringComparison.Ordinal))
        {
            return false;
        }
        var hex = signature.AsSpan(Version.Length + 1);
        if (hex.Length != HMACSHA256.HashSizeInBytes * 2)
        {
            return false;
        }
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(hex, given, out _, out var written) != OperationStatus.Done || written != given.Length)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(secret, unixSeconds, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

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

    private static void Mac(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        Span<byte> prefix = stackalloc byte[48];
        var length = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}:{unixSeconds}:"), prefix);
        hmac.AppendData(prefix[..length]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
