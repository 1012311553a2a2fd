using System.CommandLine;
using System.Globalization;
using Courier.Server.Hosting;

namespace Courier.Cli.Settings;

/// <summary>The HTTP endpoint of a running dispatcher (<c>courier up</c>, <c>courier serve</c>) that a command reads from.</summary>
internal static class DispatcherEndpoint
{
    /// <summary>The <c>--server</c> option of such commands (with other names it is also known by, e.g. <c>--url</c>).</summary>
    public static Option<string?> ServerOption(params string[] aliases) => new("--server", aliases)
    {
        Description = "The dispatcher's HTTP endpoint (default http://127.0.0.1:<port>/, the port `courier up` and `courier serve` "
            + "use: the configuration's metrics.listen, else 9464).",
    };

    /// <summary><paramref name="route"/> on the server <c>--server</c> names, else on the configured local one.</summary>
    public static Uri Resolve(ParseResult parseResult, CliContext context, Option<string?> server, string route)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        var baseUrl = parseResult.GetValue(server) is { } given
            ? Uri.TryCreate(given, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                ? parsed
                : throw new UsageException($"{string.Join('/', server.Aliases.Prepend(server.Name))} '{given}' is not an http:// or https:// URL.")
            : new Uri($"http://127.0.0.1:{(settings.MetricsPortFromConfig() ?? CourierServerOptions.DefaultMetricsPort).ToString(CultureInfo.InvariantCulture)}/");
        return new Uri(baseUrl, route);
    }

    /// <summary>A failure to reach <paramref name="url"/>, saying what should be running there.</summary>
    public static CommandFailedException Unreachable(Uri url, HttpRequestException e) =>
        new($"cannot read {url}: {e.Message} (is `courier up` or `courier serve` running there? --server names another)", e);
}
