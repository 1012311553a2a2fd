using Courier.Testing;

namespace Courier.Chaos.Verdict;

/// <summary>Runs <c>courier audit --json</c> as an operator would: the built CLI, the dispatchers' configuration.</summary>
internal static class AuditProcess
{
    private const string ListLimit = "1000000";

    public static async Task<AuditResult> RunAsync(ChaosFiles files, TimeSpan within)
    {
        // Every duplicate listed: the verdict must explain each one, and a million-job soak has more than the default 1,000.
        using var audit = ChildProcess.Start("Courier.Cli.dll", ["audit", "--config", files.Config, "--json", "--list", ListLimit]);
        var code = await audit.WaitForExitAsync(within);
        var json = audit.Stdout.Trim();
        if (code is not (0 or 4) || json.Length == 0)
        {
            throw new InvalidOperationException($"courier audit --json exited with {code}:\n{audit.Tail(20)}");
        }
        return AuditResult.Parse(code, json);
    }
}
