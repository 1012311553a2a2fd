using Xunit;

namespace Courier.Tests.Contracts;

public sealed class ParamsSchemaVersionTests
{
    [Theory]
    [InlineData("0.0.0", 0, 0, 0)]
    [InlineData("1.2.3", 1, 2, 3)]
    [InlineData("10.20.300", 10, 20, 300)]
    public void Parse_ReadsMajorMinorPatch(string text, int major, int minor, int patch)
    {
        var version = ParamsSchemaVersion.Parse(text);
        Assert.Equal(new ParamsSchemaVersion(major, minor, patch), version);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("1.0", "expected major.minor.patch")]
    [InlineData("1.0.0.0", "expected major.minor.patch")]
    [InlineData("v1.0.0", "number of 1 to 9 digits")]
    [InlineData("1.0.0-beta", "number of 1 to 9 digits")]
    [InlineData("1..0", "number of 1 to 9 digits")]
    [InlineData("01.0.0", "leading zero")]
    [InlineData("1.0.1234567890", "number of 1 to 9 digits")]
    public void Parse_RefusesWhatIsNotAVersion_SayingWhy(string text, string why)
    {
        Assert.False(ParamsSchemaVersion.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => ParamsSchemaVersion.Parse(text));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_CompareNumerically_NotAsText()
    {
        string[] texts = ["1.10.0", "1.9.0", "2.0.0", "1.9.10", "1.9.2"];
        var sorted = texts.Select(ParamsSchemaVersion.Parse).Order().Select(v => v.ToString());
        Assert.Equal(["1.9.0", "1.9.2", "1.9.10", "1.10.0", "2.0.0"], sorted);
        Assert.True(ParamsSchemaVersion.Parse("1.10.0") > ParamsSchemaVersion.Parse("1.9.9"));
    }
}
