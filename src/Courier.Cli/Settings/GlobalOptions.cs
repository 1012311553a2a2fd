using System.CommandLine;

namespace Courier.Cli.Settings;

/// <summary>Options every command takes (recursive on the root command).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "The data directory: job log (log.db), demo inbox (demo.db), downtimes (downtimes.db). Default: the configuration's `data`, else ./courier-data.",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Configuration file (YAML or JSON): data directory, topic names, dispatcher group and rules, metrics.",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Kafka { get; } = new("--kafka")
    {
        Description = "Run on Kafka: its bootstrap servers (host:port[,host:port…]), or `dev` for a development cluster inside "
            + "this command (up, serve). Default: the configuration's engine, else the embedded log in the data directory.",
        HelpName = "BOOTSTRAP|dev",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "More logging (Information), and stack traces with errors.",
        Recursive = true,
    };
}
