using Courier.Cli;
using Courier.Cli.Internal;

using var shutdown = new ShutdownSignal();
return await CourierCli.RunAsync(args, CliConsole.FromProcess(), shutdown.Token);
