using System.Runtime.InteropServices;

namespace Courier.Files;

/// <summary>
/// Who owns a file, compared with who this process runs as. .NET reads a file's mode but not its owner, so this asks
/// the kernel: <c>statx(2)</c>, whose result layout is the same on every Linux architecture (a <c>struct stat</c>
/// differs between them and between C libraries). Elsewhere (or with a C library without <c>statx</c>) the owner is
/// not read, and only the mode is checked.
/// </summary>
public static partial class UnixFileOwner
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;

    /// <summary>The effective uid of this process.</summary>
    public static uint CurrentUser => geteuid();

    /// <summary>The uid owning <paramref name="path"/> (symlinks followed), or null where it cannot be read (not Linux).</summary>
    public static uint? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = new byte[StatxSize];
        int result;
        try
        {
            result = statx(AtCurrentDirectory, path, 0, StatxUid, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library older than statx (glibc 2.28, musl 1.2.5): only the mode is checked
        }
        if (result != 0)
        {
            throw new IOException($"cannot read the owner of {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return BitConverter.ToUInt32(buffer, StatxUidOffset);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);
}
