using System.Security.Cryptography;

namespace Courier.Runners;

/// <summary>
/// The hash objects runner signing uses, kept per thread and reused: every job request is signed by a dispatcher and
/// verified by a runner, and creating OpenSSL's HMAC and SHA-256 contexts anew each time costs about as much again as
/// the hashing itself. An HMAC context is rebuilt only when a thread signs with another secret than its last one.
/// </summary>
internal static class SignatureHashes
{
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    [ThreadStatic]
    private static IncrementalHash? t_hmac;

    [ThreadStatic]
    private static byte[]? t_hmacSecret;

    /// <summary>An HMAC-SHA256 of <paramref name="secret"/> with nothing appended yet; finish it with <c>GetHashAndReset</c>.</summary>
    public static IncrementalHash Hmac(ReadOnlySpan<byte> secret)
    {
        if (t_hmac is null || t_hmacSecret is null || !secret.SequenceEqual(t_hmacSecret))
        {
            t_hmac?.Dispose();
            t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            t_hmacSecret = secret.ToArray();
        }
        return t_hmac;
    }

    /// <summary>The lowercase hex SHA-256 of <paramref name="data"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha256.AppendData(data);
        sha256.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }
}
