using System.CommandLine;
using Courier.Cli.Settings;

namespace Courier.Cli.Commands;

/// <summary><c>courier schema</c>: params schemas of job types.</summary>
internal sealed class SchemaCommand : Command
{
    public SchemaCommand(CliContext context)
        : base("schema", "Params schemas of job types: check that a change keeps old and new jobs readable.")
    {
        Subcommands.Add(new SchemaCheckCommand(context));
    }
}
