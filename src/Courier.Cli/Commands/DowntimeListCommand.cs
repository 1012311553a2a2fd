using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Downtimes;

namespace Courier.Cli.Commands;

/// <summary><c>courier downtime list</c>.</summary>
internal sealed class DowntimeListCommand : Command
{
    private readonly Option<bool> _all = new("--all")
    {
        Description = $"Also downtimes that ended or were cancelled (the store keeps them {DowntimeStore.Retention.TotalDays:0} days), and expired silences.",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object." };
    private readonly Option<string?> _alertmanager = DowntimeCommand.AlertmanagerOption();

    public DowntimeListCommand(CliContext context)
        : base("list",
            "List pending and active downtimes of the data directory's store and, with an Alertmanager, the silences "
            + "`courier downtime add` created there (their creator carries `courier-downtime:<group>`).")
    {
        Options.Add(_all);
        Options.Add(_json);
        Options.Add(_alertmanager);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var all = parseResult.GetValue(_all);
        var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
        using var alertmanager = service.Alertmanager;
        var now = DateTimeOffset.UtcNow;
        var downtimes = service.Store.List(includeEnded: all);
        var silences = alertmanager is null
            ? []
            : (await DowntimeCommand.TalkingToAlertmanager(() => alertmanager.ListAsync(context.Shutdown)))
                .Where(s => s.GroupId is not null && (all || s.IsInForceOrPending))
                .OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal)
                .ToList();

        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["store"] = service.Store.Path,
                ["alertmanager"] = alertmanager?.BaseUrl.AbsoluteUri,
                ["downtimes"] = new JsonArray([.. downtimes.Select(d => (JsonNode)new JsonObject
                {
                    ["id"] = d.Id,
                    ["group_id"] = d.GroupId,
                    ["service"] = d.Service,
                    ["hosts"] = d.Hosts,
                    ["hosts_regex"] = d.HostsRegex,
                    ["starts_at"] = JsonOutput.Time(d.StartsAt),
                    ["ends_at"] = JsonOutput.Time(d.EndsAt),
                    ["state"] = d.StateAt(now).ToString().ToLowerInvariant(),
                    ["cancelled_at"] = d.CancelledAt is { } c ? JsonOutput.Time(c) : null,
                    ["comment"] = d.Comment,
                    ["created_by"] = d.CreatedBy,
                })]),
                ["silences"] = new JsonArray([.. silences.Select(s => (JsonNode)new JsonObject
                {
                    ["id"] = s.Id,
                    ["group_id"] = s.GroupId,
                    ["matchers"] = new JsonArray([.. s.Matchers.Select(m => (JsonNode)JsonValue.Create(m.ToString()))]),
                    ["starts_at"] = JsonOutput.Time(s.StartsAt),
                    ["ends_at"] = JsonOutput.Time(s.EndsAt),
                    ["state"] = s.State,
                    ["comment"] = s.Comment,
                    ["created_by"] = s.CreatedBy,
                })]),
            });
            return ExitCodes.Ok;
        }
        if (downtimes.Count == 0 && silences.Count == 0)
        {
            context.Console.Out.WriteLine(all ? "No downtimes." : "No pending or active downtimes (--all shows ended ones).");
            return ExitCodes.Ok;
        }
        var rows = downtimes.Select(d => (IReadOnlyList<string>)
            ["store", d.Id, d.GroupId, d.Service, d.Hosts, DowntimeCommand.Time(d.StartsAt), DowntimeCommand.Time(d.EndsAt),
                d.StateAt(now).ToString().ToLowerInvariant(), d.Comment])
            .Concat(silences.Select(s => (IReadOnlyList<string>)
            ["alertmanager", s.Id, s.GroupId ?? "", Matcher(s, "service"), Matcher(s, "instance"), DowntimeCommand.Time(s.StartsAt),
                DowntimeCommand.Time(s.EndsAt), s.State, s.Comment]))
            .ToList();
        TableOutput.Write(context.Console, null,
            ["where", "id", "group", "service", "hosts", "starts (UTC)", "ends (UTC)", "state", "comment"], rows);
        return ExitCodes.Ok;
    }

    private static string Matcher(Silence silence, string label) =>
        silence.Matchers.FirstOrDefault(m => m.Name == label)?.Value ?? "";
}
