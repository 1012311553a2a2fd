using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Alerting;

namespace Courier.Cli.Commands;

/// <summary><c>courier alerts</c>: the built-in watcher's alerts, read from a running dispatcher's <c>GET /v1/alerts</c>.</summary>
internal sealed class AlertsCommand : Command
{
    private readonly Option<bool> _json = new("--json") { Description = "Print the endpoint's JSON ({\"alerts\":[...]}) instead of a table." };

    private readonly Option<string?> _server = DispatcherEndpoint.ServerOption();

    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public AlertsCommand(CliContext context)
        : base("alerts", "The built-in watcher's firing and resolved alerts on a running dispatcher: state, name, job type, "
            + "severity, since, summary, and whether a downtime silences it.")
    {
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
        var url = new Uri(http.BaseAddress!, AlertingHosting.Route);
        var body = await DispatcherEndpoint.GetStringAsync(http, AlertingHosting.Route, context.Shutdown);
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, JsonNode.Parse(body)!);
            return ExitCodes.Ok;
        }
        var alerts = System.Text.Json.JsonSerializer.Deserialize<AlertList>(body)?.Alerts ?? [];
        if (alerts.Count == 0)
        {
            context.Console.Out.WriteLine($"No alerts at {url}.");
            return ExitCodes.Ok;
        }
        TableOutput.Write(context.Console, null, ["state", "alertname", "job_type", "severity", "since", "summary", "silenced"], Rows(alerts));
        return ExitCodes.Ok;
    }

    /// <summary>One table row per alert (also the live view's lines).</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Rows(IEnumerable<Alert> alerts) =>
        alerts.Select(a => (IReadOnlyList<string>)[
            a.State.ToString().ToLowerInvariant(),
            a.Name,
            a.Labels.TryGetValue("job_type", out var type) ? type : "-",
            a.Labels.TryGetValue("severity", out var severity) ? severity : "-",
            UtcTime.Format(a.Since),
            a.Summary,
            a.Silenced ? a.SilencedBy ?? "yes" : "",
        ]).ToList();
}
