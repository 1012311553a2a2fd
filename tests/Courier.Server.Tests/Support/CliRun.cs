using Courier.Cli;

namespace Courier.Server.Tests.Support;

/// <summary>Runs the <c>courier</c> command in-process with captured, redirected output.</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, CancellationToken.None);

    public static async Task<CliResult> RunAsync(string[] args, CancellationToken shutdown, Stream? input = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole
        {
            Out = output,
            Error = error,
            OutIsTerminal = false,
            ErrorIsTerminal = false,
            OpenInput = () => input ?? Stream.Null,
        };
        var code = await CourierCli.RunAsync(args, console, shutdown);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
