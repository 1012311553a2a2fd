using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>intake</c> section of the configuration file: the limits of one <c>POST /v1/events</c>.</summary>
public sealed class IntakeConfig
{
    /// <summary><c>max_body_bytes</c>: <see cref="Hosting.CourierServerOptions.IntakeMaxBodyBytes"/>.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_body_bytes")]
    public int? MaxBodyBytes { get; init; }

    /// <summary><c>max_events</c>: <see cref="Hosting.CourierServerOptions.IntakeMaxEvents"/>.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_events")]
    public int? MaxEvents { get; init; }
}
