using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Courier.Testing;

/// <summary>
/// A throwaway certificate authority made when a test runs (no private key is ever checked in), issuing server
/// certificates for loopback. Its certificates are valid from a day before they are made to a month after, so no test
/// depends on the clock.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private TestCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA's self-signed certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new CA named <paramref name="name"/> (its subject is <c>CN=name</c>).</summary>
    public static TestCertificateAuthority Create(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    /// <summary>
    /// A server certificate with its private key, for the given DNS names; by default <c>localhost</c> and 127.0.0.1,
    /// what a runner on loopback is reached by.
    /// </summary>
    public X509Certificate2 IssueServer(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        if (dnsNames.Length == 0)
        {
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
        }
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }
        var request = new CertificateRequest($"CN={(dnsNames.Length == 0 ? "localhost" : dnsNames[0])}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using var issued = request.Create(Certificate, Certificate.NotBefore, Certificate.NotAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Writes the CA's certificate (no key) as PEM, what a dispatcher pins; returns the path.</summary>
    public string WritePem(string path)
    {
        File.WriteAllText(path, Certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>A real <see cref="HttpClient"/> that trusts this CA and no other root, as a pinned runner pool does.</summary>
    public HttpClient CreateClient()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Certificate);
        return new HttpClient(new SocketsHttpHandler { SslOptions = { CertificateChainPolicy = policy } });
    }

    public void Dispose() => Certificate.Dispose();
}
