using System.Text;
using Courier.Fuzz.Targets;
using Xunit;

namespace Courier.Fuzz.Tests;

/// <summary>The runner target's seeds get past signature verification, so the fuzzer starts from requests that reach the decoder and contract.</summary>
public sealed class RunnerSeedTests
{
    [Theory]
    [InlineData("seed-unsigned")]
    [InlineData("seed-v1")]
    [InlineData("seed-v2")]
    [InlineData("seed-v2-attempt")]
    [InlineData("seed-v2-probe")]
    public void SignedSeed_ReachesTheHandler(string seed)
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", "runner", seed));

        Assert.Equal(200, RunnerTarget.Answer(input));
    }

    [Fact]
    public void SignedSeed_WithOneBodyByteChanged_IsRefusedAsForged()
    {
        var input = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", "runner", "seed-v2"));
        var text = Encoding.UTF8.GetString(input).Replace("Main_Page", "Main_Pagf", StringComparison.Ordinal);

        Assert.Equal(403, RunnerTarget.Answer(Encoding.UTF8.GetBytes(text)));
    }
}
