using System.Runtime.InteropServices;
using Xunit;

namespace Courier.Testing;

/// <summary>File-mode and ownership helpers for tests of Courier's file permissions (Unix only).</summary>
public static partial class UnixFiles
{
    /// <summary>rw------- (0600).</summary>
    public const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ (0700).</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-r--r-- (0644), what a 022 umask gives a new file.</summary>
    public const UnixFileMode WorldReadable = OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>A uid that is not the test's: <c>nobody</c>.</summary>
    public const uint OtherUser = 65534;

    /// <summary>Skips the test on Windows, which has no Unix file modes.</summary>
    public static void RequireUnix() =>
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes and owners do not exist on Windows.");

    /// <summary>Skips the test unless it runs as root on Linux: only root can give a file to another user.</summary>
    public static void RequireRootOnLinux() =>
        Assert.SkipUnless(OperatingSystem.IsLinux() && geteuid() == 0, "Giving a file to another user needs root on Linux.");

    /// <summary>Writes a text file readable by its owner only (0600 on Unix), as a secret file must be.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
    }

    /// <summary>Gives a file or directory to another user (needs root).</summary>
    public static void GiveToOtherUser(string path)
    {
        if (chown(path, OtherUser, uint.MaxValue) != 0)
        {
            throw new IOException($"chown {OtherUser} {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);
}
