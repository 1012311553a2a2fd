using System.Diagnostics;
using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>Short-lived and long-lived processes whose ids stand in for other Courier processes on this machine.</summary>
internal static class ChildProcess
{
    /// <summary>The id of a process that ran and has exited (and been reaped).</summary>
    public static async Task<int> ExitedIdAsync()
    {
        using var process = Start(OperatingSystem.IsWindows() ? ("cmd.exe", "/c exit 0") : ("true", ""));
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.Id;
    }

    /// <summary>A process that keeps running until the test kills it (at most a minute).</summary>
    public static Process StartLongLived() =>
        Start(OperatingSystem.IsWindows() ? ("ping.exe", "-n 60 127.0.0.1") : ("sleep", "60"));

    /// <summary>Kills the process (kill -9 on Unix) and waits until it has been reaped.</summary>
    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    private static Process Start((string FileName, string Arguments) command) =>
        Process.Start(new ProcessStartInfo(command.FileName, command.Arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            CreateNoWindow = true,
        }) ?? throw new InvalidOperationException($"could not start {command.FileName}");
}
