using Xunit;

[assembly: AssemblyFixture(typeof(Courier.Packaging.Tests.PackedFeed))]

namespace Courier.Packaging.Tests;

/// <summary>
/// Courier's packages, packed once per test run by <c>scripts/pack.sh</c> into a temporary folder that serves as a
/// local NuGet source: the tests consume Courier exactly as a user's project would, so a file missing from a
/// package fails here. The solution is already built (scripts/test.sh builds before it tests), so the pack reuses
/// the Release build (<c>--no-build</c>).
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    /// <summary>The folder holding the .nupkg and .snupkg files.</summary>
    public string Directory => Path.Combine(_directory.Path, "packages");

    /// <summary>The version every package was packed with (Directory.Build.props).</summary>
    public string Version { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var pack = Path.Combine(RepositoryRoot.Path, "scripts", "pack.sh");
        using var run = ChildProcess.StartProgram("bash", [pack, Directory, "--no-build"]);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(10));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/pack.sh failed (exit {exitCode}):\n{run.Tail(80)}");
        }
        var core = System.IO.Directory.GetFiles(Directory, "Courier.*.nupkg")
            .Select(Path.GetFileNameWithoutExtension)
            .FirstOrDefault(n => n!.StartsWith("Courier.", StringComparison.Ordinal) && char.IsDigit(n["Courier.".Length]))
            ?? throw new InvalidOperationException("scripts/pack.sh made no Courier package:\n" + run.Tail(80));
        Version = core!["Courier.".Length..];
    }

    /// <summary>The path of package <paramref name="id"/>'s .nupkg.</summary>
    public string Package(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
