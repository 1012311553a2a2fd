using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// What <c>scripts/pack.sh</c> produces: one package per library a user references and the <c>courier</c> tool, each
/// with its symbols, and nothing for tests; each library with its assembly, XML documentation, README and metadata,
/// depending on its Courier siblings at the same version.
/// </summary>
public sealed class PackagesTests(PackedFeed feed)
{
    /// <summary>The libraries a user references.</summary>
    public static readonly TheoryData<string> Libraries =
        ["Courier", "Courier.Sqlite", "Courier.Kafka", "Courier.Redis", "Courier.Runner", "Courier.Server"];

    [Fact]
    public void Pack_MakesTheLibraryPackagesAndTheTool_EachWithSymbols_AndNoneForTests()
    {
        var ids = Directory.GetFiles(feed.Directory, "*.nupkg")
            .Select(f => Path.GetFileName(f)[..^$".{feed.Version}.nupkg".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["Courier", "Courier.Cli", "Courier.Kafka", "Courier.Redis", "Courier.Runner", "Courier.Server", "Courier.Sqlite"], ids);
        Assert.All(ids, id => Assert.True(File.Exists(feed.SymbolPackage(id)), $"{id}: no symbol package (.snupkg)"));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ALibraryPackage_HasItsAssembly_XmlDocs_Readme_AndNoTestAssembly(string id)
    {
        var files = feed.Files(id);

        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        Assert.Contains("README.md", files);
        Assert.DoesNotContain(files, f => f.Contains("Test", StringComparison.Ordinal) || f.Contains("Bench", StringComparison.Ordinal));
        Assert.Contains($"{id}.pdb", PackedFeed.Entries(feed.SymbolPackage(id)).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ALibraryPackage_SaysWhatItIs_WhoMadeIt_AndUnderWhichLicense(string id)
    {
        var metadata = feed.Nuspec(id).Element("metadata")!;

        Assert.Equal(id, metadata.Element("id")?.Value);
        Assert.Equal(feed.Version, metadata.Element("version")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element("description")?.Value), $"{id}: no description");
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element("authors")?.Value), $"{id}: no authors");
        Assert.Equal("expression", metadata.Element("license")?.Attribute("type")?.Value);
        Assert.Equal("README.md", metadata.Element("readme")?.Value);
        Assert.Contains("background-jobs", metadata.Element("tags")?.Value ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ALibraryPackage_DependsOnItsCourierSiblings_AtItsOwnVersion(string id)
    {
        var dependencies = feed.Nuspec(id).Descendants("dependency")
            .Select(d => (Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value))
            .ToList();
        var siblings = dependencies.Where(d => d.Id.StartsWith("Courier", StringComparison.Ordinal)).ToList();

        Assert.All(siblings, d => Assert.Equal(feed.Version, d.Version));
        Assert.All(siblings, d => Assert.True(File.Exists(feed.Package(d.Id)), $"{id} depends on {d.Id}, which was not packed"));
        if (id != "Courier")
        {
            Assert.Contains(siblings, d => d.Id == "Courier");
        }
        Assert.DoesNotContain(dependencies, d => d.Id.Contains("Test", StringComparison.Ordinal) || d.Id.Contains("xunit", StringComparison.OrdinalIgnoreCase));
    }
}
