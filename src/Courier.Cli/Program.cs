using Courier.Cli.Settings;
using Courier.Cli;

using var shutdown = new ShutdownSignal();
return await CourierCli.RunAsync(args, CliConsole.FromProcess(), shutdown.Token);
