using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// promtool (Debian package <c>prometheus</c>, installed by scripts/test.sh): Prometheus' own checker and rule-test
/// runner. Missing promtool skips a test on a developer's machine and fails it in CI, where the script must have
/// installed it.
/// </summary>
internal static class Promtool
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The shipped rule files as copied next to the tests (the project links deploy/prometheus).</summary>
    public static string RulesDirectory => Path.Combine(AppContext.BaseDirectory, "Alerting", "prometheus");

    /// <summary>The promtool executable; skips the test (or fails it when CI=true) when there is none.</summary>
    public static string Require()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }
        const string Missing = "promtool is not installed (Debian package prometheus; scripts/test.sh installs it)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Missing + ", and CI must run the alert rules' tests.");
        }
        Assert.Skip(Missing + ": the alert rules' tests need it.");
        return "";
    }

    /// <summary>Runs promtool; fails the test with promtool's whole output unless it exits 0.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var run = await ChildProcess.RunBinaryAsync(Require(), arguments, input: null, Deadline);
        var output = System.Text.Encoding.UTF8.GetString(run.Stdout) + run.Stderr;
        Assert.True(run.ExitCode == 0, $"promtool {string.Join(' ', arguments)} exited with {run.ExitCode}:\n{output}");
        return output;
    }
}
