using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Dispatching.Control;
using Courier.Server.Control;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier pause TYPE [--reason TEXT]</c> and <c>courier resume TYPE</c>: one control record in the log, applied
/// by every dispatcher of the log.
/// </summary>
internal sealed class PauseCommand : Command
{
    private readonly Argument<string> _type = new("type") { Description = "The job type." };
    private readonly Option<string> _reason = new("--reason")
    {
        Description = "Why, as `courier up`, the dispatchers' logs and the CourierJobTypePaused alert show it.",
        DefaultValueFactory = _ => "paused by an operator",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print the control record written, as JSON." };
    private readonly Option<string?> _server = RemoteOptions.Server("POST /v1/types/{type}/pause|resume");
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();
    private readonly bool _pause;

    private PauseCommand(CliContext context, bool pause, string name, string description)
        : base(name, description)
    {
        _pause = pause;
        Arguments.Add(_type);
        if (pause)
        {
            Options.Add(_reason);
        }
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    /// <summary><c>courier pause</c>.</summary>
    public static PauseCommand Pause(CliContext context) => new(context, pause: true, "pause",
        "Pause a job type on every dispatcher of the log: its jobs wait in the log (none is failed or dead-lettered) " +
        "until `courier resume`. Written to the control topic (courier.control), which every dispatcher reads, " +
        "including those started later. The type's circuit breaker does not lift this pause.");

    /// <summary><c>courier resume</c>.</summary>
    public static PauseCommand Resume(CliContext context) => new(context, pause: false, "resume",
        "Resume a job type on every dispatcher of the log, where it stopped. Also closes the type's circuit breaker " +
        "if it is open: the operator takes responsibility for the type.");

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var type = parseResult.GetValue(_type)!;
        var by = Courier.Server.Downtimes.DowntimeRequest.CurrentUser();
        ControlRecord record;
        if (parseResult.GetValue(_server) is not null)
        {
            // The dispatcher writes the same record (POST /v1/types/{type}/pause|resume); it knows its types (404 otherwise).
            using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
            var route = $"{TypeControlEndpoints.Route}/{Uri.EscapeDataString(type)}/{(_pause ? "pause" : "resume")}";
            var body = await DispatcherEndpoint.PostJsonAsync(http, route,
                new ControlRequest(_pause ? parseResult.GetValue(_reason) : null, by), context.Shutdown);
            record = DispatcherEndpoint.ReadJson<ControlRecord>(http, route, body, null);
        }
        else
        {
            var settings = CliSettings.Resolve(parseResult, context);
            CheckKnown(type, settings.DispatcherOptions, settings.CourierOptions.Topics);
            await using var log = settings.OpenLog(context, mustExist: false);
            var control = new PauseControl(log, settings.CourierOptions.Topics, TimeProvider.System);
            record = _pause
                ? await control.PauseAsync(type, parseResult.GetValue(_reason)!, by, context.Shutdown)
                : await control.ResumeAsync(type, by, context.Shutdown);
        }
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, JsonNode.Parse(record.ToJson())!);
            return ExitCodes.Ok;
        }
        context.Console.Out.WriteLine(_pause
            ? $"Paused {type} on every dispatcher of the log ({record.Reason}); `courier resume {type}` ends it."
            : $"Resumed {type} on every dispatcher of the log.");
        return ExitCodes.Ok;
    }

    /// <summary>When the configuration names job types, refuses one that no rule or pattern rule covers (a typo).</summary>
    private static void CheckKnown(string type, DispatcherOptions options, TopicNames names)
    {
        var known = options.AllJobTypes();
        if ((known.Count == 0 && options.PatternRules.Count == 0) || known.Contains(type)
            || options.PatternRules.Any(p => p.Matches(names.JobTopic(type))))
        {
            return;
        }
        throw new UsageException($"unknown job type '{type}': the configuration's rules name {string.Join(", ", known.Order(StringComparer.Ordinal))}"
            + (options.PatternRules.Count > 0 ? " and pattern rules match none of it" : ""));
    }
}
