using Courier.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>http</c> section of the configuration file: the HTTP server's limits (<see cref="HttpLimits"/>) for the
/// dispatcher service and runners, and the host names the dispatcher service answers.
/// </summary>
public sealed class HttpConfig
{
    /// <summary><c>allowed_hosts</c>: host names the dispatcher service answers (<see cref="CourierServerOptions.AllowedHosts"/>).</summary>
    [ConfigurationKeyName("allowed_hosts")]
    public ConfigList<string>? AllowedHosts { get; init; }

    /// <summary><c>listen</c>: the address of each surface (admin, intake, metrics).</summary>
    [ConfigurationKeyName("listen")]
    public HttpListenConfig? Listen { get; init; }

    /// <summary><c>tls</c>: the certificate of the <c>https://</c> listen addresses.</summary>
    [ConfigurationKeyName("tls")]
    public HttpTlsConfig? Tls { get; init; }

    /// <summary><c>max_connections</c>: <see cref="HttpLimits.MaxConnections"/>.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_connections")]
    public int? MaxConnections { get; init; }

    /// <summary><c>max_upgraded_connections</c>: <see cref="HttpLimits.MaxUpgradedConnections"/>.</summary>
    [ConfigValue(Minimum = 0)]
    [ConfigurationKeyName("max_upgraded_connections")]
    public int? MaxUpgradedConnections { get; init; }

    /// <summary><c>request_headers_timeout</c>: <see cref="HttpLimits.RequestHeadersTimeout"/>.</summary>
    [ConfigurationKeyName("request_headers_timeout")]
    public Duration? RequestHeadersTimeout { get; init; }

    /// <summary><c>body_read_timeout</c>: <see cref="HttpLimits.BodyReadTimeout"/>.</summary>
    [ConfigurationKeyName("body_read_timeout")]
    public Duration? BodyReadTimeout { get; init; }

    /// <summary><c>keep_alive_timeout</c>: <see cref="HttpLimits.KeepAliveTimeout"/>.</summary>
    [ConfigurationKeyName("keep_alive_timeout")]
    public Duration? KeepAliveTimeout { get; init; }

    /// <summary><c>max_request_headers</c>: <see cref="HttpLimits.MaxRequestHeaders"/>.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_request_headers")]
    public int? MaxRequestHeaders { get; init; }

    /// <summary><c>max_request_header_bytes</c>: <see cref="HttpLimits.MaxRequestHeaderBytes"/>.</summary>
    [ConfigValue(Minimum = 1024)]
    [ConfigurationKeyName("max_request_header_bytes")]
    public int? MaxRequestHeaderBytes { get; init; }

    /// <summary><paramref name="limits"/> with the values this section sets.</summary>
    public HttpLimits ApplyTo(HttpLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return limits with
        {
            MaxConnections = MaxConnections ?? limits.MaxConnections,
            MaxUpgradedConnections = MaxUpgradedConnections ?? limits.MaxUpgradedConnections,
            RequestHeadersTimeout = RequestHeadersTimeout?.TimeSpan ?? limits.RequestHeadersTimeout,
            BodyReadTimeout = BodyReadTimeout?.TimeSpan ?? limits.BodyReadTimeout,
            KeepAliveTimeout = KeepAliveTimeout?.TimeSpan ?? limits.KeepAliveTimeout,
            MaxRequestHeaders = MaxRequestHeaders ?? limits.MaxRequestHeaders,
            MaxRequestHeaderBytes = MaxRequestHeaderBytes ?? limits.MaxRequestHeaderBytes,
        };
    }
}
