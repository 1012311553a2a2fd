using System.CommandLine;
using System.Globalization;
using Courier.Cli.Settings;
using Courier.Server.Downtimes;

namespace Courier.Cli.Commands;

/// <summary><c>courier downtime</c>: silence one service on a set of hosts, in the data directory and in Alertmanager.</summary>
internal sealed class DowntimeCommand : Command
{
    public DowntimeCommand(CliContext context)
        : base("downtime",
            "Downtimes: silence the alerts of one service on a set of hosts for a while, in the data directory's store "
            + "(the built-in watcher) and, when one is configured, in Alertmanager (silences). add, cancel, list.")
    {
        Subcommands.Add(new DowntimeAddCommand(context));
        Subcommands.Add(new DowntimeCancelCommand(context));
        Subcommands.Add(new DowntimeListCommand(context));
    }

    /// <summary>The <c>--alertmanager</c> option shared by the subcommands.</summary>
    internal static Option<string?> AlertmanagerOption() => new("--alertmanager")
    {
        Description = "Alertmanager's base address (e.g. http://127.0.0.1:9093/). Default: the configuration's alerting.alertmanager.url; "
            + "without either, only the data directory's store is used.",
        HelpName = "URL",
    };

    /// <summary>
    /// The store of the data directory and, from <c>--alertmanager</c> or the configuration, the Alertmanager to write
    /// silences to. The caller disposes <see cref="DowntimeService.Alertmanager"/>.
    /// </summary>
    internal static DowntimeService OpenService(ParseResult parseResult, CliContext context, Option<string?> alertmanager)
    {
        var settings = CliSettings.Resolve(parseResult, context);
        var url = AlertmanagerUrl(parseResult.GetValue(alertmanager)) ?? settings.Config?.Alerting?.Alertmanager?.Url;
        var store = DowntimeStore.In(settings.Data);
        return new DowntimeService(store, url is null ? null : new AlertmanagerSilences(url));
    }

    /// <summary>
    /// A client for the dispatcher <c>--server</c> names, or null when it names none (the command then works on the
    /// data directory itself). <c>--alertmanager</c> is refused with it: the dispatcher uses its own configuration's.
    /// </summary>
    internal static HttpClient? RemoteClient(ParseResult parseResult, CliContext context, Option<string?> server, Option<string?> token,
        Option<string?> alertmanager)
    {
        if (parseResult.GetValue(server) is null)
        {
            return null;
        }
        if (parseResult.GetValue(alertmanager) is not null)
        {
            throw new UsageException("--alertmanager and --server: the dispatcher writes silences to the Alertmanager of its own configuration");
        }
        return DispatcherEndpoint.CreateClient(parseResult, context, server, token);
    }

    /// <summary>Runs <paramref name="work"/>, turning Alertmanager's failures into the command's (exit 1, its message).</summary>
    internal static async Task<T> TalkingToAlertmanager<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (AlertmanagerException e)
        {
            throw new CommandFailedException(e.Message, e);
        }
    }

    /// <summary>A time as the tables show it: UTC, to the second.</summary>
    internal static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Uri? AlertmanagerUrl(string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--alertmanager: '{value}' is not an http:// or https:// address");
        }
        return url;
    }
}
