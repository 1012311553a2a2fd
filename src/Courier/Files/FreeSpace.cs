using System.Globalization;

namespace Courier.Files;

/// <summary>
/// What to add to an I/O failure's message when the file system is (nearly) full. SQLite reports a full disk as
/// "disk I/O error" as often as "database or disk is full" (which it says depends on the write that hit the end), so
/// an operator read "disk I/O error" and looked for a broken disk; the free space, measured when the error is
/// reported, says what happened.
/// </summary>
public static class FreeSpace
{
    /// <summary>Below this much available space, a failed write is put down to a full file system.</summary>
    public const long NearlyFullBytes = 1 << 20;

    /// <summary>
    /// "; the file system holding DIR has N bytes free: it is full" when the file system holding
    /// <paramref name="path"/> (a file or directory; the nearest existing ancestor is measured) has less than
    /// <see cref="NearlyFullBytes"/> available, else an empty string (also when it cannot be measured).
    /// </summary>
    public static string NoteIfFull(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var directory = new DirectoryInfo(Path.GetFullPath(path));
            while (directory is { Exists: false })
            {
                directory = directory.Parent;
            }
            if (directory is null)
            {
                return "";
            }
            // On Unix, DriveInfo measures the file system of any path it is given (statvfs), not only a mount point.
            var free = new DriveInfo(directory.FullName).AvailableFreeSpace;
            return free < NearlyFullBytes
                ? string.Create(CultureInfo.InvariantCulture, $"; the file system holding {directory.FullName} has {free:N0} bytes free: it is full")
                : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "";
        }
    }
}
