using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>metrics</c> section of the configuration file.</summary>
public sealed class MetricsConfig
{
    /// <summary><c>listen</c>: <c>host:port</c> where <c>/metrics</c> is served, e.g. <c>127.0.0.1:9464</c>.</summary>
    [ConfigurationKeyName("listen")]
    public string? Listen { get; init; }
}
