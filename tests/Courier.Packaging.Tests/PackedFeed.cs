using System.IO.Compression;
using System.Xml.Linq;
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

    private Task<InstalledTool>? _tool;

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

    /// <summary>
    /// The <c>courier</c> tool installed from this feed into a temporary tool path: installed by the first caller, once
    /// per run.
    /// </summary>
    public Task<InstalledTool> ToolAsync()
    {
        lock (_directory)
        {
            return _tool ??= InstalledTool.InstallAsync(this, _directory.Path);
        }
    }

    /// <summary>The path of package <paramref name="id"/>'s .nupkg.</summary>
    public string Package(string id) => Path.Combine(Directory, $"{id}.{Version}.nupkg");

    /// <summary>The path of package <paramref name="id"/>'s symbol package (.snupkg).</summary>
    public string SymbolPackage(string id) => Path.Combine(Directory, $"{id}.{Version}.snupkg");

    /// <summary>The file names (paths inside the archive, '/'-separated) of package <paramref name="id"/>.</summary>
    public IReadOnlyList<string> Files(string id) => Entries(Package(id));

    /// <summary>The file names inside the archive at <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return [.. zip.Entries.Select(e => e.FullName)];
    }

    /// <summary>Package <paramref name="id"/>'s manifest (<c>&lt;id&gt;.nuspec</c>), its elements' namespace dropped.</summary>
    public XElement Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        var entry = zip.GetEntry(id + ".nuspec") ?? throw new InvalidOperationException($"{id}: no {id}.nuspec in the package");
        using var stream = entry.Open();
        var root = XDocument.Load(stream).Root!;
        foreach (var element in root.DescendantsAndSelf())
        {
            element.Name = element.Name.LocalName;
        }
        return root;
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
