namespace Courier.Server;

/// <summary>The <c>intake</c> section of the configuration file: the limits of one <c>POST /v1/events</c>.</summary>
public sealed class IntakeConfig
{
    /// <summary><c>max_body_bytes</c>: <see cref="CourierServerOptions.IntakeMaxBodyBytes"/>.</summary>
    public int? MaxBodyBytes { get; init; }

    /// <summary><c>max_events</c>: <see cref="CourierServerOptions.IntakeMaxEvents"/>.</summary>
    public int? MaxEvents { get; init; }
}
