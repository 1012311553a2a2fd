using System.Security;

namespace Courier.Packaging.Tests;

/// <summary>
/// A copy of <c>samples/</c> in a temporary folder, restored and built from the packed feed as a user's checkout of
/// the sample would be: Courier's packages come from <see cref="PackedFeed"/> only (package source mapping), each
/// extracted afresh into a packages folder of its own, so a file missing from a package fails the build or the run,
/// never a stale copy from an earlier pack of the same version. Other packages come from the machine's NuGet cache
/// (used as a local source) or nuget.org.
/// </summary>
public sealed class SampleAppWorkspace : IDisposable
{
    private readonly TempDirectory _directory = new("sample-app");

    private readonly IsolatedDotnet _dotnet;

    public SampleAppWorkspace()
    {
        _dotnet = new IsolatedDotnet(Path.Combine(_directory.Path, "packages"));
        CopyDirectory(Path.Combine(RepositoryRoot.Path, "samples"), Samples);
    }

    /// <summary>The copy of <c>samples/</c>.</summary>
    public string Samples => Path.Combine(_directory.Path, "samples");

    /// <summary>A folder for the apps' data (job log, orders, receipts, invoices).</summary>
    public string Data => Path.Combine(_directory.Path, "data");

    /// <summary>The built assembly of <paramref name="project"/> (e.g. <c>Shop</c>).</summary>
    public string Assembly(string project) => Path.Combine(Samples, project, "bin", "Release", "net10.0", project + ".dll");

    /// <summary>
    /// Writes the NuGet.config for <paramref name="feed"/> over the sample's own and builds <c>Shop.slnx</c> with the
    /// packages of <see cref="PackedFeed.Version"/>; returns the build's exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> BuildAsync(PackedFeed feed)
    {
        File.WriteAllText(Path.Combine(Samples, "NuGet.config"), NuGetConfig(feed.Directory));
        return await _dotnet.RunAsync(Samples,
            ["build", "Shop.slnx", "-c", "Release", "-p:CourierVersion=" + feed.Version, "--disable-build-servers", "-nodeReuse:false"]);
    }

    private static string NuGetConfig(string feed)
    {
        var cache = IsolatedDotnet.MachineCache;
        var useCache = cache is not null;
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="courier-feed" value="{SecurityElement.Escape(feed)}" />
                {(useCache ? $"<add key=\"nuget-cache\" value=\"{SecurityElement.Escape(cache!)}\" />" : "")}
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="courier-feed"><package pattern="Courier" /><package pattern="Courier.*" /></packageSource>
                {(useCache ? "<packageSource key=\"nuget-cache\"><package pattern=\"*\" /></packageSource>" : "")}
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.GetDirectories(from))
        {
            // Build output and data of a run in the checkout are not part of the sample.
            if (Path.GetFileName(directory) is not ("bin" or "obj" or "shop-data"))
            {
                CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }

    public void Dispose() => _directory.Dispose();
}
