using Xunit;

namespace Courier.Packaging.Tests;

/// <summary>
/// The <c>courier</c> .NET tool's package carries everything the command reads at run time beside its own files:
/// the demo's params schemas and librdkafka's native library (for <c>courier kafka dev</c> and the Kafka engine).
/// </summary>
public sealed class ToolPackageTests(PackedFeed feed)
{
    private const string ToolDirectory = "tools/net10.0/any/";

    [Fact]
    public void TheToolPackage_IsADotnetTool_NamedCourier()
    {
        var files = feed.Files("Courier.Cli");

        Assert.Contains(ToolDirectory + "DotnetToolSettings.xml", files);
        Assert.Contains(ToolDirectory + "Courier.Cli.dll", files);
        Assert.Equal("DotnetTool", feed.Nuspec("Courier.Cli").Descendants("packageType").Single().Attribute("name")?.Value);
    }

    [Fact]
    public void TheToolPackage_ShipsTheDemoSchemas_AndLibrdkafka()
    {
        var files = feed.Files("Courier.Cli");

        Assert.Contains(files, f => f.StartsWith(ToolDirectory + "jobs/schemas/massMessage/", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
        Assert.Contains(ToolDirectory + "runtimes/linux-x64/native/librdkafka.so", files);
    }
}
