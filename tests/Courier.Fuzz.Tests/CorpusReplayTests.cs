using Courier.Fuzz.Targets;
using Xunit;

namespace Courier.Fuzz.Tests;

/// <summary>
/// Replays every saved fuzz input (fuzz/corpus/&lt;target&gt;/ and fuzz/regressions/&lt;target&gt;/) through its target,
/// in-process: no unexpected exception, and each input finishes. The bound is a hang backstop far above any input's
/// real cost (milliseconds), so a slow machine cannot fail it; a loop that never ends still does.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(1);

    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task EveryCorpusInput_EndsWithoutAnUnexpectedException(string name)
    {
        var files = Inputs("corpus", name);

        var failures = await ReplayAsync(name, files);

        Assert.True(files.Count > 0, $"fuzz/corpus/{name}/ is empty");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task EveryRegressionInput_EndsWithoutAnUnexpectedException(string name)
    {
        var failures = await ReplayAsync(name, Inputs("regressions", name));

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryTargetHasACorpusFolder()
    {
        var folders = Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus")).Select(Path.GetFileName);

        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));
    }

    private static List<string> Inputs(string kind, string target)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "fuzz", kind, target);
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetExtension(f) != ".md").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Each file through the target on the thread pool; what failed, by file name.</summary>
    private static async Task<List<string>> ReplayAsync(string name, List<string> files)
    {
        var target = FuzzTargets.Find(name) ?? throw new ArgumentException($"no fuzz target '{name}'", nameof(name));
        var failures = new List<string>();
        foreach (var file in files)
        {
            var input = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
            try
            {
                await Task.Run(() => target.Run(input), TestContext.Current.CancellationToken).WaitAsync(HangBound, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                failures.Add($"{name}/{Path.GetFileName(file)}: did not finish within {HangBound.TotalSeconds:0} s (a hang)");
            }
#pragma warning disable CA1031 // Any exception a target lets out is the finding this test reports.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{name}/{Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}");
            }
        }
        return failures;
    }
}
