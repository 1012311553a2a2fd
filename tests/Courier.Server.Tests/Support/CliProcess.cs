using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Support;

/// <summary>
/// The <c>courier</c> command as a child process (<c>dotnet Courier.Cli.dll …</c>): for what only a separate process
/// shows (a signal, a cluster other processes connect to). Courier.Server.Tests references Courier.Cli, so the build
/// puts Courier.Cli.dll and its runtimeconfig next to the tests.
/// </summary>
internal static class CliProcess
{
    public static ChildProcess Start(params string[] arguments) => Start(environment: null, arguments);

    /// <summary>Starts the command with <paramref name="environment"/> set on top of this process's (a null value unsets a variable).</summary>
    public static ChildProcess Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        ChildProcess.Start("Courier.Cli.dll", arguments, environment);

    /// <summary>The first line of stdout, once there is one.</summary>
    public static async Task<string> FirstLineAsync(this ChildProcess process, TimeSpan within)
    {
        await Eventually.TrueAsync(() => process.Stdout.Contains('\n', StringComparison.Ordinal) || process.HasExited, "courier printed a line on stdout or exited", within,
            () => process.Tail());
        var stdout = process.Stdout;
        Assert.False(string.IsNullOrEmpty(stdout), $"courier printed nothing on stdout and exited; stderr:\n{process.Stderr}");
        return stdout[..stdout.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r');
    }
}
