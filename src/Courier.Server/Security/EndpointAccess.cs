namespace Courier.Server.Security;

/// <summary>
/// Endpoint metadata: the surface an endpoint is served on and the scope a caller needs (null: no token, as for
/// metrics, health and the console's sign-in page). Every endpoint of the dispatcher service declares one; the
/// access check refuses an endpoint that does not.
/// </summary>
/// <param name="Surface">Where it listens.</param>
/// <param name="Scope">The scope a token needs; null when none is needed.</param>
internal sealed record EndpointAccess(HttpSurface Surface, AccessScope? Scope);
