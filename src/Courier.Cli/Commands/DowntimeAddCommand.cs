using System.CommandLine;
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
    private readonly Option<string?> _server = RemoteOptions.Server("/v1/downtimes, on its data directory and Alertmanager");
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

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
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        DowntimeAdded added;
        using (var remote = DowntimeCommand.RemoteClient(parseResult, context, _server, _token, _alertmanager))
        {
            if (remote is not null)
            {
                // The dispatcher checks the request as this command does (400: a usage error with its reason).
                var body = await DispatcherEndpoint.PostJsonAsync(remote, DowntimeEndpoints.Route, new DowntimeAddBody
                {
                    Service = parseResult.GetValue(_service),
                    Hosts = parseResult.GetValue(_hosts),
                    Duration = parseResult.GetValue(_duration),
                    Comment = parseResult.GetValue(_comment),
                    Force = parseResult.GetValue(_force),
                    Start = parseResult.GetValue(_start),
                    By = DowntimeRequest.CurrentUser(),
                }, context.Shutdown);
                added = DispatcherEndpoint.ReadJson<DowntimeAdded>(remote, DowntimeEndpoints.Route, body, null);
            }
            else
            {
                var request = Request(parseResult, DateTimeOffset.UtcNow);
                var service = DowntimeCommand.OpenService(parseResult, context, _alertmanager);
                using var alertmanager = service.Alertmanager;
                added = DowntimeAdded.From(await DowntimeCommand.TalkingToAlertmanager(() => service.AddAsync(request, context.Shutdown)), service);
            }
        }
        if (parseResult.GetValue(_json))
        {
            DowntimeLines.Json(context.Console.Out, added);
        }
        else
        {
            DowntimeLines.Added(context.Console.Out, added);
        }
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
        try
        {
            DowntimeRequest.CheckStart(start, now);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--start: {e.Message}", e);
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
