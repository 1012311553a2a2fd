using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>What <c>scripts/pack.sh</c> produces: one package per library a user references, and nothing for tests.</summary>
public sealed class PackagesTests(PackedFeed feed)
{
    [Fact]
    public void Pack_MakesTheLibraryPackages_AndNoneForTests()
    {
        var ids = Directory.GetFiles(feed.Directory, "*.nupkg")
            .Select(f => Path.GetFileName(f)[..^$".{feed.Version}.nupkg".Length])
            .ToHashSet(StringComparer.Ordinal);

        foreach (var id in new[] { "Courier", "Courier.Sqlite", "Courier.Kafka", "Courier.Redis", "Courier.Runner" })
        {
            Assert.Contains(id, ids);
        }
        Assert.DoesNotContain(ids, id => id.Contains("Test", StringComparison.Ordinal) || id.Contains("Bench", StringComparison.Ordinal)
            || id.Contains("Chaos", StringComparison.Ordinal) || id.Contains("Fuzz", StringComparison.Ordinal));
    }
}
