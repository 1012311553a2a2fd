using System.Security.Cryptography;
using System.Text;
using Courier.Files;

namespace Courier.Server.Data;

/// <summary>
/// The development file of runner signing keys (<c>id=secret</c>, one per line; read by
/// <see cref="RunnerKeySource.FromFile"/>). <c>courier runner</c> creates one in the data directory when no keys are
/// given, so a dispatcher on the same machine (<c>courier up --runners</c>) signs with the same key by reading the same file.
/// </summary>
internal static class RunnerKeyFile
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "runner-keys";

    /// <summary>The development key file of a data directory: <c>&lt;data&gt;/runner-keys</c>.</summary>
    public static string DefaultPath(CourierDataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Path.Combine(data.Root, FileName);
    }

    /// <summary>
    /// Creates the file with one random 256-bit key (id <c>dev-</c> and 8 hex digits), readable by its owner only
    /// (mode 0600 on Unix), unless it exists. Safe against another process creating it at the same moment: the file
    /// appears whole or not at all. Returns true when this call created it.
    /// </summary>
    public static bool CreateIfMissing(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return false;
        }
        var directory = Path.GetDirectoryName(full)!;
        var id = "dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var line = $"{id}=base64:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n";
        var temporary = Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFiles.FileMode;
            }
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(line));
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temporary, full, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process created it first: theirs is the key.
                return false;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFileException(full, $"cannot create a runner key file: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
