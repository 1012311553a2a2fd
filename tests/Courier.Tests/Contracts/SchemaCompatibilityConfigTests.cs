using Courier.Testing;
using Xunit;

namespace Courier.Tests.Contracts;

public sealed class SchemaCompatibilityConfigTests
{
    [Fact]
    public void Parse_ReadsTheDefaultAndPerTypeModes_WithComments()
    {
        var config = SchemaCompatibilityConfig.Parse("""
            // massMessage runners are always deployed before producers.
            { "default": "full", "types": { "massMessage": "BACKWARD_TRANSITIVE", "refreshLinks": "none", }, }
            """, "compatibility.json");

        Assert.Equal(CompatibilityMode.Full, config.Default);
        Assert.Equal(CompatibilityMode.BackwardTransitive, config.ModeFor("massMessage"));
        Assert.Equal(CompatibilityMode.None, config.ModeFor("refreshLinks"));
        Assert.Equal(CompatibilityMode.Full, config.ModeFor("htmlCacheUpdate"));
    }

    [Fact]
    public void Defaults_AreFullTransitive()
    {
        Assert.Equal(CompatibilityMode.FullTransitive, new SchemaCompatibilityConfig().ModeFor("anything"));
        Assert.Equal(CompatibilityMode.FullTransitive, SchemaCompatibilityConfig.Parse("{}", "x").Default);
        using var dir = new TempDirectory("compat-config");
        Assert.Equal(CompatibilityMode.FullTransitive, SchemaCompatibilityConfig.Load(dir.Path).Default);
    }

    [Theory]
    [InlineData("""{ "default": "SIDEWAYS" }""", "default: \"SIDEWAYS\" is not a compatibility mode")]
    [InlineData("""{ "types": { "massMessage": 3 } }""", "types.massMessage: 3 is not a compatibility mode")]
    [InlineData("""{ "types": [] }""", "types: expected an object")]
    [InlineData("""{ "mode": "FULL" }""", "unknown key 'mode'")]
    [InlineData("""{ "default": "FULL", "default": "NONE" }""", "not valid JSON")]
    [InlineData("""[]""", "expected a JSON object")]
    [InlineData("""{ "default": """, "not valid JSON")]
    public void Parse_RefusesBadFiles_NamingTheFileAndKey(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => SchemaCompatibilityConfig.Parse(json, "jobs/schemas/compatibility.json"));

        Assert.StartsWith("jobs/schemas/compatibility.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeNames_RoundTrip()
    {
        foreach (var mode in Enum.GetValues<CompatibilityMode>())
        {
            Assert.True(CompatibilityModes.TryParse(mode.ToWireName(), out var parsed));
            Assert.Equal(mode, parsed);
            Assert.True(CompatibilityModes.TryParse(mode.ToWireName().ToLowerInvariant().Replace('_', '-'), out parsed));
            Assert.Equal(mode, parsed);
        }
        Assert.False(CompatibilityModes.TryParse("FULLTRANSITIVE", out _));
    }
}
