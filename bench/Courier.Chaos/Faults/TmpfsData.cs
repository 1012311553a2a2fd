using System.Diagnostics;

namespace Courier.Chaos.Faults;

/// <summary>
/// The disk-full fault's ground: the data directory on a tmpfs of its own (<c>mount -t tmpfs -o size=…</c>; needs
/// root), filled with a ballast file for a while and then freed. When the mount fails the fault is left out of the
/// schedule, and the reason is printed with it.
/// </summary>
internal sealed class TmpfsData : IDisposable
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

    /// <summary>Fills the file system to the last byte with ballast files, holds them, then deletes them.</summary>
    public async Task FillAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
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
            await Task.Delay(duration, cancellationToken);
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
