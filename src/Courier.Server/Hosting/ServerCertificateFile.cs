using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Courier.Server.Hosting;

/// <summary>
/// The certificate a runner listens over HTTPS with (<see cref="CourierRunnerHostOptions.CertificateFile"/>): a PEM
/// certificate with its key (in a key file, or in the same file), or a PKCS#12 (PFX) file whose password is in
/// <see cref="CourierRunnerHostOptions.CertificatePasswordVariable"/>. Which of the two a file is, is read from its content.
/// </summary>
internal static class ServerCertificateFile
{
    /// <summary>Loads the certificate; an <see cref="ArgumentException"/> naming the file says why it cannot be used.</summary>
    public static X509Certificate2 Load(string certificateFile, string? keyFile, Func<string, string?> environment)
    {
        var file = Path.GetFullPath(certificateFile);
        var key = keyFile is null ? null : Path.GetFullPath(keyFile);
        var bytes = Read(file, "certificate file");
        var certificate = IsPem(bytes) ? LoadPem(file, key) : LoadPkcs12(file, key, bytes, environment);
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new ArgumentException($"certificate file '{file}' has no private key");
        }
        return certificate;
    }

    private static X509Certificate2 LoadPem(string file, string? key)
    {
        if (key is not null)
        {
            _ = Read(key, "key file");
        }
        try
        {
            return X509Certificate2.CreateFromPemFile(file, key);
        }
        catch (CryptographicException e)
        {
            var keySource = key is null ? "(no key file: the key must be in the same file)" : $"with key file '{key}'";
            throw new ArgumentException($"certificate file '{file}' {keySource} cannot be used: {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadPkcs12(string file, string? key, byte[] bytes, Func<string, string?> environment)
    {
        if (key is not null)
        {
            throw new ArgumentException($"certificate file '{file}' is not PEM, so it is read as PKCS#12 (PFX), which holds its own key: "
                + $"give no key file '{key}'");
        }
        try
        {
            return X509CertificateLoader.LoadPkcs12(bytes, environment(CourierRunnerHostOptions.CertificatePasswordVariable));
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"certificate file '{file}' is neither PEM nor a PKCS#12 (PFX) file that opens with the password in "
                + $"{CourierRunnerHostOptions.CertificatePasswordVariable}: {e.Message}", e);
        }
    }

    private static byte[] Read(string file, string what)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ArgumentException($"{what} '{file}' not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{what} '{file}' cannot be read: {e.Message}", e);
        }
    }

    private static bool IsPem(byte[] bytes) => bytes.AsSpan().IndexOf("-----BEGIN "u8) >= 0;
}
