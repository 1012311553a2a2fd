using Courier.Server.Hosting;

namespace Courier.Cli.Rendering;

/// <summary>The line <c>courier up</c> and <c>courier serve</c> print at start: where the web console (<c>/ui</c>) answers.</summary>
internal static class ConsoleAddress
{
    /// <summary><c>console: http://127.0.0.1:9464/ui</c> (the admin surface's address), or null before the server listens.</summary>
    public static string? Line(CourierServer server) =>
        server.BaseUrl is { } admin ? $"console: {new Uri(admin, "ui")}" : null;
}
