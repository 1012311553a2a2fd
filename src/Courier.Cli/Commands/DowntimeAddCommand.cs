using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Server.Configuration;
using Courier.Server.Downtimes;

namespace Courier.Cli.Commands;

/// <summary><c>courier downtime add</c>.</summary>
internal sealed class DowntimeAddCommand : Command
{
    private readonly Option<string> _service = new("--service")
    {
        Description = "The service whose alerts are silenced (their `service` label).",
        HelpName = "S",
        Required = true,
    };
    private readonly Option<string> _hosts = new("--hosts")
    {
        Description = "Hosts: comma-separated glob patterns (* any run, ? one character) matched against the `instance` label, port ignored.",
        HelpName = "PATTERN",
        Required = true,
    };
    private readonly Option<string> _duration = new("--duration")
    {
        Description = $"How long: 30m, 2h, 1d… From {DowntimeRequest.MinDuration.TotalMinutes:0} minute to {DowntimeRequest.MaxDuration.TotalDays:0} days (longer with --force).",
        HelpName = "DURATION",
        Required = true,
    };
    private readonly Option<string> _comment = new("--comment")
    {
        Description = "Why, e.g. a ticket: stored unchanged everywhere; `courier downtime cancel --comment` finds the downtime by it.",
        HelpName = "TEXT",
        Required = true,
    };
    private readonly Option<DateTimeOffset?> _start = new("--start")
    {
        Description = "Start later (ISO-8601, e.g. 2030-01-01T06:00:00Z). Default: now.",
        HelpName = "TIME",
    };
    private readonly Option<bool> _force = new("--force") { Description = $"Allow a downtime longer than {DowntimeRequest.MaxDuration.TotalDays:0} days." };
    private readonly Option<string?> _alertmanager = DowntimeCommand.AlertmanagerOption();
    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON." };

    public DowntimeAddCommand(CliContext context)
        : base("add",
            "Add a downtime: in the data directory's store and, with an Alertmanager, as one silence (service=\"S\", "
            + "instance=~ the hosts' pattern). All or nothing: when Alertmanager refuses or cannot be reached, nothing is "
            + "stored. Prints the group id and every id created.")
    {
        Options.Add(_service);
        Options.Add(_hosts);
        Options.Add(_duration);
        Options.Add(_comment);
        Options.Add(_start);
        Options.Add(_force);
        Options.Add(_alertmanager);
        Options.Add(_json);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var now = DateTimeOffset.UtcNow;
        var request = Request(parseResult, now);
        var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
        using var alertmanager = service.Alertmanager;
        var added = await DowntimeCommand.TalkingToAlertmanager(() => service.AddAsync(request, context.Shutdown));
        var d = added.Downtime;

        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, new JsonObject
            {
                ["group_id"] = d.GroupId,
                ["downtime_id"] = d.Id,
                ["silence_id"] = added.SilenceId,
                ["alertmanager"] = alertmanager?.BaseUrl.AbsoluteUri,
                ["service"] = d.Service,
                ["hosts"] = d.Hosts,
                ["hosts_regex"] = d.HostsRegex,
                ["starts_at"] = JsonOutput.Time(d.StartsAt),
                ["ends_at"] = JsonOutput.Time(d.EndsAt),
                ["comment"] = d.Comment,
            });
            return ExitCodes.Ok;
        }
        var output = context.Console.Out;
        output.WriteLine($"Downtime group {d.GroupId}: service {d.Service} on {d.Hosts} (instance =~ {d.HostsRegex}), "
            + $"{DowntimeCommand.Time(d.StartsAt)} to {DowntimeCommand.Time(d.EndsAt)} UTC.");
        output.WriteLine($"  store downtime      {d.Id}  ({service.Store.Path})");
        if (added.SilenceId is not null)
        {
            output.WriteLine($"  alertmanager silence {added.SilenceId}  ({alertmanager!.BaseUrl})");
        }
        output.WriteLine($"Cancel it with: courier downtime cancel --comment '{d.Comment.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        return ExitCodes.Ok;
    }

    private DowntimeRequest Request(ParseResult parseResult, DateTimeOffset now)
    {
        var durationText = parseResult.GetValue(_duration)!;
        if (!Duration.TryParse(durationText, out var duration))
        {
            throw new UsageException($"--duration: '{durationText}' is not a duration ({Duration.Help})");
        }
        var start = parseResult.GetValue(_start) ?? now;
        if (start < now - TimeSpan.FromMinutes(1))
        {
            throw new UsageException($"--start: {DowntimeCommand.Time(start)} UTC is in the past; leave it out to start now");
        }
        var request = new DowntimeRequest
        {
            Service = parseResult.GetValue(_service)!,
            Hosts = parseResult.GetValue(_hosts)!,
            StartsAt = start,
            Duration = duration,
            Comment = parseResult.GetValue(_comment)!,
            CreatedBy = DowntimeRequest.CurrentUser(),
        };
        try
        {
            request.Check(now, parseResult.GetValue(_force));
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"downtime not added: {e.Message}", e);
        }
        return request;
    }
}
