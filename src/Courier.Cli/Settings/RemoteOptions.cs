using System.CommandLine;

namespace Courier.Cli.Settings;

/// <summary>
/// The <c>--server</c> option of a command that works locally (on the log or the data directory) or, given an
/// address, asks a running dispatcher to do it through its admin API (<see cref="DispatcherEndpoint"/>).
/// </summary>
internal static class RemoteOptions
{
    /// <summary><c>--server URL</c>, saying which endpoint of the dispatcher does the work.</summary>
    public static Option<string?> Server(string endpoint)
    {
        var server = DispatcherEndpoint.ServerOption();
        server.Description = $"Ask the dispatcher at this address (e.g. http://127.0.0.1:9464/) to do it ({endpoint}; --token or "
            + $"{DispatcherEndpoint.TokenEnvironmentVariable} for one that requires a token) instead of doing it from here.";
        return server;
    }
}
