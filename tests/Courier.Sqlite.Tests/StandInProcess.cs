namespace Courier.Sqlite.Tests;

/// <summary>Short-lived and long-lived processes whose ids stand in for other Courier processes on this machine.</summary>
internal static class StandInProcess
{
    /// <summary>The id of a process that ran and has exited (and been reaped).</summary>
    public static async Task<int> ExitedIdAsync()
    {
        using var process = OperatingSystem.IsWindows() ? ChildProcess.StartProgram("cmd.exe", ["/c", "exit 0"]) : ChildProcess.StartProgram("true", []);
        await process.WaitForExitAsync(Eventually.DefaultBound);
        return process.Id;
    }

    /// <summary>A process that keeps running until the test kills it (at most a minute).</summary>
    public static ChildProcess StartLongLived() =>
        OperatingSystem.IsWindows() ? ChildProcess.StartProgram("ping.exe", ["-n", "60", "127.0.0.1"]) : ChildProcess.StartProgram("sleep", ["60"]);

    /// <summary>Kills the process (kill -9 on Unix) and waits until it has been reaped.</summary>
    public static async Task KillAsync(ChildProcess process)
    {
        process.KillHard();
        await process.WaitForExitAsync(Eventually.DefaultBound);
    }
}
