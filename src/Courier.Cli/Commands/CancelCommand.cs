using System.CommandLine;
using System.Text.Json.Nodes;
using Courier.Cli.Rendering;
using Courier.Cli.Settings;
using Courier.Dispatching.Cancelling;
using Courier.Server.Control;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier cancel ID [--reason TEXT]</c>: one cancel record on the control topic, applied by every dispatcher of the
/// log (each also puts it in its state store). The log cannot tell a pending job from a finished one or an id never
/// enqueued, so the command says what it recorded and for how long; <c>POST /v1/jobs/{id}/cancel</c> on a running
/// dispatcher also says whether the job was running there.
/// </summary>
internal sealed class CancelCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The job's id (meta.id, as `courier enqueue` prints it)." };
    private readonly Option<string> _reason = new("--reason")
    {
        Description = "Why, as the dispatchers' logs show it.",
        DefaultValueFactory = _ => "cancelled by an operator",
    };
    private readonly Option<bool> _json = new("--json") { Description = "Print the control record written, as JSON." };
    private readonly Option<string?> _server = RemoteOptions.Server("POST /v1/jobs/{id}/cancel");
    private readonly Option<string?> _token = DispatcherEndpoint.TokenOption();

    public CancelCommand(CliContext context)
        : base("cancel",
            "Cancel a job by id on every dispatcher of the log: a running job's handler (or runner request) is cancelled and the "
            + "job ends cancelled, neither retried nor dead-lettered; a job not reached yet ends cancelled without running if it "
            + "is reached within dispatcher.cancel_ttl (default 7d). A job that already finished is not undone.")
    {
        Arguments.Add(_id);
        Options.Add(_reason);
        Options.Add(_json);
        Options.Add(_server);
        Options.Add(_token);
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        var id = parseResult.GetValue(_id)!;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new UsageException("the job id is empty");
        }
        var reason = parseResult.GetValue(_reason)!;
        var by = Courier.Server.Downtimes.DowntimeRequest.CurrentUser();
        CancelRecord record;
        string message;
        if (parseResult.GetValue(_server) is not null)
        {
            // The dispatcher records it the same way and also says whether the job was running there.
            using var http = DispatcherEndpoint.CreateClient(parseResult, context, _server, _token);
            var route = $"{JobControlEndpoints.Route}/{Uri.EscapeDataString(id)}/cancel";
            var body = await DispatcherEndpoint.PostJsonAsync(http, route, new ControlRequest(reason, by), context.Shutdown);
            var answer = DispatcherEndpoint.ReadJson<CancelAnswer>(http, route, body, null);
            (record, message) = (answer.Record, answer.Message);
        }
        else
        {
            var settings = CliSettings.Resolve(parseResult, context);
            await using var log = settings.OpenLog(context, mustExist: false);
            var control = new CancelControl(log, settings.CourierOptions.Topics, TimeProvider.System);
            var result = await control.CancelAsync(id, reason, by, settings.DispatcherOptions.CancelTtl, context.Shutdown);
            (record, message) = (result.Record, result.Describe());
        }
        if (parseResult.GetValue(_json))
        {
            JsonOutput.Write(context.Console.Out, JsonNode.Parse(record.ToJson())!);
            return ExitCodes.Ok;
        }
        context.Console.Out.WriteLine(message);
        return ExitCodes.Ok;
    }
}
