namespace Courier.Packaging.Tests;

/// <summary>
/// The <c>courier</c> command installed from the packed feed with <c>dotnet tool install --tool-path</c>, as a user
/// would, into a temporary folder outside the repository. Its NuGet cache is a fresh folder too, so a package of the
/// same version packed by an earlier run is never installed instead of this run's.
/// </summary>
public sealed class InstalledTool
{
    private InstalledTool(string command) => Command = command;

    /// <summary>The path of the installed <c>courier</c> command.</summary>
    public string Command { get; }

    /// <summary>Installs package <c>Courier.Cli</c> of <paramref name="feed"/> under <paramref name="root"/>.</summary>
    public static async Task<InstalledTool> InstallAsync(PackedFeed feed, string root)
    {
        var toolPath = Path.Combine(root, "tool");
        using var install = ChildProcess.StartProgram("env",
            [$"NUGET_PACKAGES={Path.Combine(root, "nuget-packages")}", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1",
             "dotnet", "tool", "install", "--tool-path", toolPath, "--add-source", feed.Directory, "Courier.Cli", "--version", feed.Version],
            root);
        var exitCode = await install.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet tool install failed (exit {exitCode}):\n{install.Tail(40)}");
        }
        var command = Path.Combine(toolPath, "courier");
        return File.Exists(command) ? new InstalledTool(command)
            : throw new InvalidOperationException($"dotnet tool install made no {command}:\n{install.Tail(40)}");
    }

    /// <summary>Starts <c>courier <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>.</summary>
    public ChildProcess Start(string workingDirectory, params string[] arguments) =>
        ChildProcess.StartProgram(Command, arguments, workingDirectory);
}
