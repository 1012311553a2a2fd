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

    public CheckCommand(CliContext context)
        : base("check", "Deploy gate: judges a running dispatcher's outcomes since a time or release against the time before "
            + "(failure ratio, decode failures, probes), with its page alerts and paused types. Exit 0 pass, 4 fail, 5 no data.")
    {
        Options.Add(_since);
        Options.Add(_baseline);
        Options.Add(_json);
        Options.Add(_url);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var query = "?since=" + Uri.EscapeDataString(parseResult.GetValue(_since)!)
            + (parseResult.GetValue(_baseline) is { } baseline ? "&baseline=" + Uri.EscapeDataString(baseline) : "");
        var url = DispatcherEndpoint.Resolve(parseResult, context, _url, CheckHosting.Route + query);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.GetAsync(url, context.Shutdown);
            body = await response.Content.ReadAsStringAsync(context.Shutdown);
        }
        catch (HttpRequestException e)
        {
            throw DispatcherEndpoint.Unreachable(url, e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                throw new UsageException(ErrorOf(body) ?? $"{url} refused the request: {body}");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException($"{url} answered {(int)response.StatusCode}: {ErrorOf(body) ?? body}");
            }
        }
        var report = JsonSerializer.Deserialize<CheckReport>(body)
            ?? throw new CommandFailedException($"{url} answered no report");
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

    private static string? ErrorOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
