using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Check;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier check</c>: the deploy gate. Asks a running dispatcher's <c>GET /v1/check</c> whether anything got worse
/// since a time, a duration ago or a release's first job; exit 0 pass, 4 fail, 5 no data (see <see cref="ExitCodes"/>).
/// </summary>
internal sealed class CheckCommand : Command
{
    private readonly Option<string> _since = new("--since")
    {
        Description = "Start of the window: an RFC 3339 time (2026-12-05T04:00:00Z), a duration back from now (15m), "
            + "or a release name (when the dispatcher first saw it run a job).",
        Required = true,
    };

    private readonly Option<string?> _baseline = new("--baseline")
    {
        Description = "How long before the window the baseline runs (a duration: 1h); default as long as the window.",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the endpoint's JSON report instead of text." };

    private readonly Option<string?> _url = DispatcherEndpoint.ServerOption("--url");

    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public CheckCommand(CliContext context)
        : base("check", "Deploy gate: judges a running dispatcher's outcomes since a time or release against the time before "
            + "(failure ratio, decode failures, probes), with its page alerts and paused types. Exit 0 pass, 4 fail, 5 no data.")
    {
        Options.Add(_since);
        Options.Add(_baseline);
        Options.Add(_json);
        Options.Add(_url);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var query = "?since=" + Uri.EscapeDataString(parseResult.GetValue(_since)!)
            + (parseResult.GetValue(_baseline) is { } baseline ? "&baseline=" + Uri.EscapeDataString(baseline) : "");
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, _url, _token);
        var body = await DispatcherEndpoint.GetStringAsync(http, CheckHosting.Route + query, context.Shutdown);
        var report = DispatcherEndpoint.ReadJson<CheckReport>(http, CheckHosting.Route + query, body, json: null);
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, JsonNode.Parse(body)!);
        }
        else
        {
            CheckText.Write(context.Console, report);
        }
        return report.Verdict switch
        {
            CheckVerdicts.Pass => ExitCodes.Ok,
            CheckVerdicts.Fail => ExitCodes.CheckFailed,
            _ => ExitCodes.CheckNoData,
        };
    }
}
