using System.Runtime.Versioning;

namespace Courier.Files;

/// <summary>
/// The one place for Courier's owner-only file modes (0700 directories, 0600 files; the data directory and the runner
/// key file check against <see cref="OthersAccess"/>), and for keeping a SQLite database readable by its owner only
/// (mode 0600 on Unix), side files included. SQLite gives the files
/// it creates beside a database (<c>-wal</c>, <c>-shm</c>, <c>-journal</c>) the database file's own mode, whatever the
/// process umask, so creating the main file 0600 before SQLite opens it covers them all; a process-wide umask would
/// also change every other file the process creates, and other threads race with it. Every SQLite file Courier writes
/// goes through here: the job log, the demo inbox and the downtime store.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Mode of a new database directory: rwx------ (0700).</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Mode of a database file: rw------- (0600).</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The permissions no one but the owner may have.</summary>
    public const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly string[] SideFileSuffixes = ["-wal", "-shm", "-journal"];

    /// <summary>
    /// Creates the missing directories (0700) and the file, empty (SQLite takes an empty file for a new database), with
    /// mode 0600. A file that exists (an older Courier created them 0644) loses its group and other permissions, and so
    /// do its side files. Only creates the directories on Windows. Throws <see cref="IOException"/> (for a file of
    /// another user, which cannot be tightened, with a message naming the fix) or <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    public static void PrepareDatabase(string fullPath)
    {
        var directory = Path.GetDirectoryName(fullPath);
        if (OperatingSystem.IsWindows())
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            return;
        }
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
        if (TryCreate(fullPath))
        {
            return;
        }
        foreach (var path in SideFileSuffixes.Select(suffix => fullPath + suffix).Prepend(fullPath))
        {
            Tighten(path);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static bool TryCreate(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = FileMode,
        };
        try
        {
            using (new FileStream(path, options))
            {
            }
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    [UnsupportedOSPlatform("windows")]
    private static void Tighten(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & OthersAccess) != 0)
            {
                File.SetUnixFileMode(path, mode & ~OthersAccess);
            }
        }
        catch (FileNotFoundException)
        {
            // A side file SQLite removed meanwhile, or one that never existed.
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException(
                $"{path} is readable by other users and belongs to another user, so it cannot be made private: run "
                + $"Courier as its owner, or `chown` it to the user running Courier and `chmod 600 {path}`.", e);
        }
    }
}
