using System.Diagnostics;

namespace Courier.Testing;

/// <summary>
/// A directory on a tmpfs of its own (<c>mount -t tmpfs -o size=…</c>; needs root) that can be filled to the last
/// byte with ballast and freed again: the chaos soak's disk-full fault, and the tests of what a full disk gets.
/// When the mount fails, the caller is told why (the soak leaves the fault out; a test skips, or fails in CI).
/// </summary>
public sealed class TmpfsData : IDisposable
{
    private const string Ballast = "chaos-ballast";
    private readonly string _mountPoint;

    private TmpfsData(string mountPoint) => _mountPoint = mountPoint;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB on <paramref name="directory"/>; null and why, when it cannot.</summary>
    public static (TmpfsData? Mount, string? Error) TryMount(string directory, long megabytes)
    {
        Directory.CreateDirectory(directory);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", directory);
        return code == 0 ? (new TmpfsData(directory), null) : (null, $"mount -t tmpfs failed ({code}): {output.Trim()}");
    }

    /// <summary>Fills the file system to the last byte with ballast files, holds them for <paramref name="duration"/>, then deletes them.</summary>
    public Task FillAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        FillUntilAsync(_ => Task.Delay(duration, cancellationToken), cancellationToken);

    /// <summary>
    /// Fills the file system to the last byte with ballast files, runs <paramref name="whileFull"/>, then deletes them
    /// (also when it throws).
    /// </summary>
    public async Task FillUntilAsync(Func<CancellationToken, Task> whileFull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileFull);
        var bulk = Path.Combine(_mountPoint, Ballast);
        var rest = bulk + "-rest";
        try
        {
            // Most of the space at once (PreallocationSize allocates the blocks, posix_fallocate, so the space is
            // really taken, not sparse), leaving a little for the writers racing us; then the rest, chunk by chunk,
            // until the file system says it is full.
            var free = new DriveInfo(_mountPoint).AvailableFreeSpace;
            await using (new FileStream(bulk, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, PreallocationSize = Math.Max(0, free - (4L << 20)),
            }))
            {
            }
            await using (var tail = new FileStream(rest, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                var chunk = new byte[64 * 1024];
                try
                {
                    while (true)
                    {
                        await tail.WriteAsync(chunk, cancellationToken);
                        await tail.FlushAsync(cancellationToken);
                    }
                }
                catch (IOException)
                {
                    // Full.
                }
            }
            await whileFull(cancellationToken);
        }
        finally
        {
            File.Delete(bulk);
            File.Delete(rest);
        }
    }

    public void Dispose() => Run("umount", "-l", _mountPoint);

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
