using System.Runtime.Versioning;
using Courier.Files;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Server.Data;

/// <summary>
/// The files of one Courier installation: <c>log.db</c> (the embedded job log), <c>state.db</c> (the embedded state
/// store, on either engine unless <c>state.store</c> is redis), <c>demo.db</c> (the demo's inbox),
/// <c>downtimes.db</c> (the downtime store, <see cref="Downtimes.DowntimeStore"/>) and <c>courier.log</c> (logs
/// written while the live display owns the terminal).
/// </summary>
public sealed class CourierDataDirectory
{
    /// <summary>The directory used when none is given: <c>./courier-data</c>.</summary>
    public const string DefaultPath = "courier-data";

    /// <summary>Names the directory (relative paths resolve against the current directory).</summary>
    public CourierDataDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Root = Path.GetFullPath(path);
    }

    /// <summary>Full path of the directory.</summary>
    public string Root { get; }

    /// <summary>The embedded job log.</summary>
    public string LogPath => Path.Combine(Root, "log.db");

    /// <summary>The embedded state store (deduplication, claims, recurring jobs, cancellations, rate limits).</summary>
    public string StatePath => Path.Combine(Root, "state.db");

    /// <summary>The demo's inbox database.</summary>
    public string InboxPath => Path.Combine(Root, "demo.db");

    /// <summary>The log file used while the live display owns the terminal.</summary>
    public string LogFilePath => Path.Combine(Root, "courier.log");

    /// <summary>
    /// Creates the directory if needed, open to its owner only (mode 0700 on Unix): every job passes through its files.
    /// An existing directory that other users can enter is tightened to the owner's permissions when this user owns
    /// it, and refused otherwise (the message names the fix). Throws <see cref="DataFileException"/> naming it.
    /// </summary>
    public void EnsureCreated()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Root);
                return;
            }
            Directory.CreateDirectory(Root, PrivateFiles.DirectoryMode);
            TightenIfOthersCanEnter();
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not DataFileException)
        {
            throw new DataFileException(Root, $"cannot create the data directory: {e.Message}", e);
        }
    }

    [UnsupportedOSPlatform("windows")]
    private void TightenIfOthersCanEnter()
    {
        var mode = File.GetUnixFileMode(Root);
        if ((mode & PrivateFiles.OthersAccess) == 0)
        {
            return;
        }
        var owner = UnixFileOwner.Of(Root);
        if (owner is null || owner == UnixFileOwner.CurrentUser)
        {
            try
            {
                File.SetUnixFileMode(Root, mode & ~PrivateFiles.OthersAccess);
                return;
            }
            catch (UnauthorizedAccessException) when (owner is null)
            {
                // Not ours after all: refused below.
            }
        }
        throw new DataFileException(Root,
            $"the data directory is open to other users (mode {UnixModes.Octal(mode)}) and belongs to "
            + (owner is { } uid ? $"uid {uid}" : "another user") + $", not to this user (uid {UnixFileOwner.CurrentUser}), "
            + $"so Courier cannot make it private: `chown` it to this user and `chmod 700 {Root}`, or pass --data with a directory of your own.");
    }

    /// <summary>
    /// Opens the job log. With <paramref name="mustExist"/>, a missing file is an error (commands that only read
    /// should not create an empty log in a mistyped directory). Engine failures surface as <see cref="JobLogException"/>.
    /// </summary>
    public IJobLog OpenJobLog(bool mustExist, int defaultPartitions = 4, ILoggerFactory? loggerFactory = null)
    {
        if (mustExist && !File.Exists(LogPath))
        {
            throw new DataFileException(LogPath, "no job log here (run `courier up` first, or pass --data DIR)");
        }
        if (!mustExist)
        {
            EnsureCreated();
        }
        return SqliteJobLog.Open(LogPath, new SqliteJobLogOptions
        {
            DefaultPartitions = defaultPartitions,
            LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        });
    }
}
