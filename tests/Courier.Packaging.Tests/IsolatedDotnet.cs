namespace Courier.Packaging.Tests;

/// <summary>
/// The <c>dotnet</c> commands a user's project is restored, built and run with, isolated from earlier runs: packages
/// are extracted into a packages folder of this run's own (<c>NUGET_PACKAGES</c>), so a Courier package comes from
/// the freshly packed <see cref="PackedFeed"/> and never from a stale copy of the same version; no build servers
/// outlive the command.
/// </summary>
public sealed class IsolatedDotnet(string packagesFolder)
{
    /// <summary>The program run as <c>dotnet</c>: the host running the tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The machine's NuGet cache, usable as a local source for packages other than Courier's; null if absent.</summary>
    public static string? MachineCache
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
                ? packages
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Directory.Exists(cache) ? cache : null;
        }
    }

    /// <summary>The folder packages are extracted into.</summary>
    public string PackagesFolder => packagesFolder;

    /// <summary>The variables (<c>NAME=value</c>) every command runs with.</summary>
    public IReadOnlyList<string> Variables =>
    [
        "NUGET_PACKAGES=" + packagesFolder,
        "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_NOLOGO=1", "DOTNET_CLI_USE_MSBUILD_SERVER=0", "MSBUILDDISABLENODEREUSE=1",
    ];

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, with
    /// <see cref="Variables"/> and <paramref name="extraEnvironment"/>; returns its exit code and output's tail.
    /// </summary>
    public Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IEnumerable<string> arguments,
        IEnumerable<string>? extraEnvironment = null) =>
        RunProgramAsync(workingDirectory, [Dotnet, .. arguments], extraEnvironment);

    /// <summary>Runs <paramref name="command"/> (a program and its arguments) as <see cref="RunAsync"/> runs dotnet.</summary>
    public async Task<(int ExitCode, string Output)> RunProgramAsync(string workingDirectory, IEnumerable<string> command,
        IEnumerable<string>? extraEnvironment = null)
    {
        using var run = ChildProcess.StartProgram("env", [.. Variables, .. extraEnvironment ?? [], .. command], workingDirectory);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(15));
        return (exitCode, run.Tail(60));
    }
}
