using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// <c>http.listen</c>: the address of each HTTP surface, <c>host:port</c> or <c>https://host:port</c>; each defaults
/// to <c>metrics.listen</c> (else 127.0.0.1:9464). Surfaces with the same address share it.
/// </summary>
public sealed class HttpListenConfig
{
    /// <summary><c>admin</c>: the admin API and the console.</summary>
    [ConfigurationKeyName("admin")]
    public string? Admin { get; init; }

    /// <summary><c>intake</c>: <c>POST /v1/events</c>.</summary>
    [ConfigurationKeyName("intake")]
    public string? Intake { get; init; }

    /// <summary><c>metrics</c>: <c>/metrics</c> and health (default: <c>metrics.listen</c>).</summary>
    [ConfigurationKeyName("metrics")]
    public string? Metrics { get; init; }
}
