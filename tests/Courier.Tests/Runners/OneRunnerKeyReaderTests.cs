using Courier.Testing;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>
/// Runner keys are read in one place (<see cref="RunnerKeySource"/>), so every command and host reports the same
/// errors: no other source file looks the variable up, spells its name, or parses key text itself.
/// </summary>
public sealed class OneRunnerKeyReaderTests
{
    private static readonly string[] Readers = ["Runners/RunnerKey.cs", "Runners/RunnerKeySource.cs"];

    // Ways of reading keys around the reader: looking the variable up by its constant or its name, or parsing key text.
    private static readonly string[] Bypasses =
    [
        "(RunnerKey.EnvironmentVariable)",
        "\"COURIER_RUNNER_KEYS\"",
        "ParseList(",
    ];

    [Fact]
    public void OnlyTheReader_LooksUpOrParsesRunnerKeys()
    {
        var sources = Path.Combine(RepositoryRoot.Path, "src");
        var offenders =
            from file in Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            let relative = Path.GetRelativePath(sources, file).Replace('\\', '/')
            where !relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal)
            where !Readers.Any(r => relative.EndsWith(r, StringComparison.Ordinal))
            let text = File.ReadAllText(file)
            from bypass in Bypasses
            where text.Contains(bypass, StringComparison.Ordinal)
            select $"{relative}: {bypass}";

        Assert.Empty(offenders);
    }
}
