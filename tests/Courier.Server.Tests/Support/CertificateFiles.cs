using System.Security.Cryptography.X509Certificates;

namespace Courier.Server.Tests.Support;

/// <summary>Writes a test certificate the ways a runner is given one: PEM certificate and key files, or a PFX.</summary>
internal static class CertificateFiles
{
    /// <summary>The certificate and its private key as two PEM files; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, TempDirectory directory)
    {
        var certificatePath = directory.File("runner.crt");
        var keyPath = directory.File("runner.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the test certificate has no ECDSA key");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>The certificate and its private key in one PEM file; returns its path.</summary>
    public static string WritePemWithKey(X509Certificate2 certificate, TempDirectory directory)
    {
        var path = directory.File("runner.pem");
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the test certificate has no ECDSA key");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    /// <summary>The certificate with its key as a password-protected PKCS#12 (PFX) file; returns its path.</summary>
    public static string WritePkcs12(X509Certificate2 certificate, TempDirectory directory, string password)
    {
        var path = directory.File("runner.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return path;
    }
}
