using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Courier.Runners;

/// <summary>
/// A runner pool's pinned CA (<see cref="RunnerPoolOptions.CaFile"/>): the PEM file's certificates are the only roots
/// a runner's certificate may chain to. Validation is otherwise the usual one (chain, dates, key usage, host name).
/// </summary>
public static class PinnedCa
{
    /// <summary>
    /// The certificates of a PEM file (one CA, or several while one is being replaced). Throws
    /// <see cref="ArgumentException"/> naming the file when it is missing, unreadable or holds no certificate.
    /// </summary>
    public static X509Certificate2Collection Load(string path)
    {
        var file = Path.GetFullPath(path);
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArgumentException($"CA file '{file}' not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"CA file '{file}' cannot be read: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"CA file '{file}' holds a certificate that cannot be read: {e.Message}", e);
        }
        return certificates.Count > 0
            ? certificates
            : throw new ArgumentException($"CA file '{file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>
    /// The chain policy that trusts <paramref name="authorities"/> and nothing else. Revocation is not checked, as for
    /// runners under the system's roots (the <c>SocketsHttpHandler</c> default): a private CA seldom publishes a CRL.
    /// </summary>
    public static X509ChainPolicy ChainPolicy(X509Certificate2Collection authorities)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(authorities);
        return policy;
    }
}
