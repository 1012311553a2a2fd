using System.Text;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// promtool (Debian package <c>prometheus</c>, installed by scripts/test.sh): Prometheus' own checker and rule-test
/// runner (<see cref="SystemTool"/>: missing, it skips a test locally and fails it in CI).
/// </summary>
internal static class Promtool
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The shipped rule files as copied next to the tests (the project links deploy/prometheus).</summary>
    public static string RulesDirectory => Path.Combine(AppContext.BaseDirectory, "Alerting", "prometheus");

    /// <summary>The promtool executable; skips the test (or fails it when CI=true) when there is none.</summary>
    public static string Require() => SystemTool.Require("prometheus", "the alert rules' tests", "promtool");

    /// <summary>Runs promtool; fails the test with promtool's whole output unless it exits 0.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var run = await ChildProcess.RunBinaryAsync(Require(), arguments, input: null, Deadline);
        var output = Encoding.UTF8.GetString(run.Stdout) + run.Stderr;
        Assert.True(run.ExitCode == 0, $"promtool {string.Join(' ', arguments)} exited with {run.ExitCode}:\n{output}");
        return output;
    }
}
