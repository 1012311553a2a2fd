namespace Courier.Server.Security;

/// <summary>
/// The dispatcher service's HTTP surfaces, each of which can listen on an address of its own: the admin API and
/// the console, the intake, and metrics with health.
/// </summary>
internal enum HttpSurface
{
    /// <summary>The admin API (<c>/v1/…</c> but the intake), its OpenAPI description, and the console (<c>/ui</c>).</summary>
    Admin,

    /// <summary><c>POST /v1/events</c>.</summary>
    Intake,

    /// <summary><c>/metrics</c>, <c>/health/live</c>, <c>/health/ready</c>.</summary>
    Metrics,
}
