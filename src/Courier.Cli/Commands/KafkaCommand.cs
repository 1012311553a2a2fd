using System.CommandLine;
using Courier.Cli.Settings;

namespace Courier.Cli.Commands;

/// <summary><c>courier kafka</c>: Kafka tooling for development.</summary>
internal sealed class KafkaCommand : Command
{
    public KafkaCommand(CliContext context)
        : base("kafka", "Kafka for development: a local cluster to run Courier on (`courier kafka dev`).")
    {
        Subcommands.Add(new KafkaDevCommand(context));
    }
}
