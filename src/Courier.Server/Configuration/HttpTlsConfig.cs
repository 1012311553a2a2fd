using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary><c>http.tls</c>: the certificate the <c>https://</c> addresses of <c>http.listen</c> serve.</summary>
public sealed class HttpTlsConfig
{
    /// <summary><c>certificate</c>: a PEM certificate (chain) file, with the key in it or in <see cref="Key"/>; or a PKCS#12 file.</summary>
    [ConfigurationKeyName("certificate")]
    public string? Certificate { get; set; }

    /// <summary><c>key</c>: the PEM private key file, when not in the certificate file.</summary>
    [ConfigurationKeyName("key")]
    public string? Key { get; set; }
}
