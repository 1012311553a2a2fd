using System.Globalization;
using Courier.Server.Hosting;

namespace Courier.Cli.Settings;

/// <summary>The HTTP endpoint of a running dispatcher (<c>courier up</c>, <c>courier serve</c>) that a command reads from.</summary>
internal static class DispatcherAddress
{
    /// <summary>What the address option's help says about its default.</summary>
    public const string Help = "The dispatcher's HTTP endpoint (default http://127.0.0.1:<port>/, the port `courier up` and `courier serve` "
        + "use: the configuration's metrics.listen, else 9464).";

    /// <summary>The address given with <paramref name="option"/>, else the default of the configuration.</summary>
    public static Uri Resolve(CliSettings settings, string? given, string option) =>
        given is not null
            ? Uri.TryCreate(given, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new UsageException($"{option} '{given}' is not an http:// or https:// URL.")
            : new Uri($"http://127.0.0.1:{(settings.MetricsPortFromConfig() ?? CourierServerOptions.DefaultMetricsPort).ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The message for a dispatcher that did not answer at <paramref name="url"/>.</summary>
    public static string Unreachable(Uri url, string option, HttpRequestException e) =>
        $"cannot read {url}: {e.Message} (is `courier up` or `courier serve` running there? {option} names another)";
}
