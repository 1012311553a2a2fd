using Courier.Testing;

namespace Courier.Chaos.Verdict;

/// <summary>Runs <c>courier audit --json</c> as an operator would: the built CLI, the dispatchers' configuration.</summary>
internal static class AuditProcess
{
    public static async Task<AuditResult> RunAsync(ChaosFiles files, TimeSpan within)
    {
        using var audit = ChildProcess.Start("Courier.Cli.dll", ["audit", "--config", files.Config, "--json"]);
        var code = await audit.WaitForExitAsync(within);
        var json = audit.Stdout.Trim();
        if (code is not (0 or 4) || json.Length == 0)
        {
            throw new InvalidOperationException($"courier audit --json exited with {code}:\n{audit.Tail(20)}");
        }
        return AuditResult.Parse(code, json);
    }
}
