using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Canaries;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Canaries;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier canary status</c> and <c>courier canary reset POOL</c>: runner pools' canaries on a running dispatcher
/// (<c>GET /v1/canaries</c>, <c>POST /v1/canaries/{pool}/reset</c>).
/// </summary>
internal sealed class CanaryCommand : Command
{
    public CanaryCommand(CliContext context)
        : base("canary", "Canary releases of runner pools on a running dispatcher: status (state, weight, both sides, verdict, "
            + "top errors), reset POOL (judge a rolled-back canary again from its first step).")
    {
        var json = new Option<bool>("--json") { Description = "Print the endpoint's JSON ({\"canaries\":[...]}) instead of a table." };
        var server = DispatcherEndpoint.ServerOption();
        var token = DispatcherEndpoint.TokenOption();
        var status = new Command("status", "Each runner pool's canary: release, state, weight, attempts and failures of both sides, verdict.");
        status.Options.Add(json);
        status.Options.Add(server);
        status.Options.Add(token);
        status.SetAction((parseResult, _) => RunAsync(parseResult, context, server, token, json, pool: null));
        var pool = new Argument<string>("POOL") { Description = "The runner pool whose canary is judged again." };
        var reset = new Command("reset", "Judge a pool's canary again from its first step with an empty window (after a rollback, once fixed).");
        reset.Arguments.Add(pool);
        reset.Options.Add(json);
        reset.Options.Add(server);
        reset.Options.Add(token);
        reset.SetAction((parseResult, _) => RunAsync(parseResult, context, server, token, json, parseResult.GetValue(pool)));
        Subcommands.Add(status);
        Subcommands.Add(reset);
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CliContext context, Option<string?> server, Option<string?> token,
        Option<bool> json, string? pool)
    {
        var route = pool is null ? CanaryEndpoints.Route : $"{CanaryEndpoints.Route}/{Uri.EscapeDataString(pool)}/reset";
        using var http = DispatcherEndpoint.CreateClient(parseResult, context, server, token);
        var url = new Uri(http.BaseAddress!, route);
        var body = pool is null
            ? await DispatcherEndpoint.GetStringAsync(http, route, context.Shutdown)
            : await DispatcherEndpoint.PostJsonAsync(http, route, body: null, context.Shutdown);
        if (parseResult.GetValue(json))
        {
            JsonOutput.Write(context.Console.Out, JsonNode.Parse(body)!);
            return ExitCodes.Ok;
        }
        var canaries = JsonSerializer.Deserialize<CanaryList>(body, CanaryList.Json)?.Canaries ?? [];
        if (canaries.Count == 0)
        {
            context.Console.Out.WriteLine($"No runner pool has a canary at {url}.");
            return ExitCodes.Ok;
        }
        TableOutput.Write(context.Console, null, ["pool", "release", "state", "weight", "stable", "canary", "verdict"], Rows(canaries));
        foreach (var canary in canaries.Where(c => c.TopErrors.Count > 0))
        {
            context.Console.Out.WriteLine($"Top canary errors of {canary.Pool}:");
            foreach (var error in canary.TopErrors)
            {
                context.Console.Out.WriteLine("  " + error);
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>One table row per canary (also the live view's lines).</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Rows(IEnumerable<CanaryStatus> canaries) =>
        canaries.Select(c => (IReadOnlyList<string>)[
            c.Pool,
            c.Release ?? "?",
            JsonNamingPolicy.SnakeCaseLower.ConvertName(c.State.ToString()),
            c.Weight.ToString(CultureInfo.InvariantCulture) + "%",
            Side(c.Stable),
            Side(c.Canary),
            c.Verdict.Reason,
        ]).ToList();

    private static string Side(CanarySide side) =>
        string.Create(CultureInfo.InvariantCulture, $"{side.Failures}/{side.Attempts} failed");
}
