using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Server;

/// <summary>
/// The files of one Courier installation: <c>log.db</c> (the embedded job log), <c>demo.db</c> (the demo's inbox)
/// and <c>courier.log</c> (logs written while the live display owns the terminal).
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

    /// <summary>The demo's inbox database.</summary>
    public string InboxPath => Path.Combine(Root, "demo.db");

    /// <summary>The log file used while the live display owns the terminal.</summary>
    public string LogFilePath => Path.Combine(Root, "courier.log");

    /// <summary>Creates the directory if needed; throws <see cref="DataFileException"/> naming it when that fails.</summary>
    public void EnsureCreated()
    {
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(Root, $"cannot create the data directory: {e.Message}", e);
        }
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
