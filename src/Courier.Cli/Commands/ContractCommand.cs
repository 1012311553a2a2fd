using System.CommandLine;
using Courier.Cli.Settings;

namespace Courier.Cli.Commands;

/// <summary><c>courier contract</c>: the golden corpus of job events and the replay check before a deploy.</summary>
internal sealed class ContractCommand : Command
{
    /// <summary>The corpus directory when <c>--corpus</c> is not given, relative to the working directory.</summary>
    public const string DefaultCorpus = "jobs/corpus";

    public ContractCommand(CliContext context)
        : base("contract", "Check that jobs already written still decode with this build: a golden corpus of events, and recent records of the log.")
    {
        Subcommands.Add(new ContractRecordCommand(context));
        Subcommands.Add(new ContractVerifyCommand(context));
    }

    internal static Option<string> CorpusOption() => new("--corpus")
    {
        Description = "The corpus directory: <dir>/<type>/<version>/<job id>.json, each file one event's exact bytes.",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultCorpus,
    };
}
