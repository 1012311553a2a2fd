using System.Text;
using Xunit;

namespace Courier.Tests.Runners;

public sealed class RunnerKeyTests
{
    [Fact]
    public void ParseList_ReadsKeysInOrder()
    {
        var keys = RunnerKey.ParseList("k2=second-secret-0123456789, k1=first-secret-01234567890\n");

        Assert.Equal(["k2", "k1"], keys.Select(k => k.Id));
        Assert.Equal(Encoding.UTF8.GetBytes("second-secret-0123456789"), keys[0].Secret);
    }

    [Theory]
    [InlineData("nosecret", "not of the form id=secret")]
    [InlineData("=secret-0123456789abcdef", "not of the form id=secret")]
    [InlineData("a=secret-0123456789abcdef,a=secret-0123456789abcdeg", "appears twice")]
    public void ParseList_RefusesBadEntries_WithoutEchoingSecrets(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => RunnerKey.ParseList(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RefusesShortSecrets() =>
        Assert.Throws<ArgumentException>(() => new RunnerKey("a", "short"));
}
