using System.CommandLine;
using Courier.Cli.Settings;
using Courier.Server.Admin;

namespace Courier.Cli.Commands;

/// <summary><c>courier dlq</c>: the dead letters of the error topic.</summary>
internal sealed class DlqCommand : Command
{
    public DlqCommand(CliContext context)
        : base("dlq", "Dead letters (the error topic): list, show, replay.")
    {
        Subcommands.Add(new DlqListCommand(context));
        Subcommands.Add(new DlqShowCommand(context));
        Subcommands.Add(new DlqReplayCommand(context));
    }

    /// <summary>The <c>--type</c> filter shared by the subcommands.</summary>
    internal static Option<string?> TypeOption() => new("--type") { Description = "Only dead letters of this job type.", HelpName = "TYPE" };

    /// <summary>The <c>--class</c> filter shared by the subcommands.</summary>
    internal static Option<string?> ClassOption()
    {
        var option = new Option<string?>("--class") { Description = "Only dead letters of this failure class.", HelpName = "CLASS" };
        option.AcceptOnlyFromAmong("decode", "retryable", "permanent", "backpressure");
        return option;
    }

    /// <summary>The <c>--server</c> option: read a running dispatcher's dead letters through its admin API instead of the log.</summary>
    internal static Option<string?> ServerOption()
    {
        var option = DispatcherEndpoint.ServerOption();
        option.Description = "Ask the dispatcher at this URL (its admin API, /v1/dead-letters, from its index of the error topic) "
            + "instead of reading the log here.";
        return option;
    }

    /// <summary>The filter from the two options.</summary>
    internal static Courier.Server.Admin.DeadLetterFilter Filter(ParseResult parseResult, Option<string?> type, Option<string?> failureClass) =>
        new(parseResult.GetValue(type),
            FailureClasses.TryParse(parseResult.GetValue(failureClass), out var c) ? c : null);
}
