using System.Runtime.Versioning;
using System.Text;
using Xunit;

namespace Courier.Sqlite.Tests;

[UnsupportedOSPlatform("windows")] // skipped there (RequireUnix): no Unix file modes
public sealed class SqliteFileModeTests : IDisposable
{
    private readonly TempDirectory _directory = new("sqlite-modes");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_CreatesTheDirectoryOwnerOnly_AndTheLogAndItsWalAndShmFilesOwnerReadWrite()
    {
        UnixFiles.RequireUnix();
        var directory = _directory.File("data");
        var path = Path.Combine(directory, "log.db");

        await using (var log = SqliteJobLog.Open(path))
        {
            using var producer = log.CreateProducer();
            await producer.ProduceAsync([new OutgoingRecord("jobs", "k", Encoding.UTF8.GetBytes("v"), [])], Token);

            // While the log is open in WAL mode its side files exist; SQLite gives them the main file's mode.
            Assert.Equal(UnixFiles.OwnerOnlyDirectory, File.GetUnixFileMode(directory));
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                Assert.True(File.Exists(file), $"{file} should exist while the log is open");
                Assert.Equal(UnixFiles.OwnerReadWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public async Task Open_TightensALogFileAnOlderCourierCreatedWorldReadable()
    {
        UnixFiles.RequireUnix();
        var path = _directory.File("log.db");
        await using (SqliteJobLog.Open(path))
        {
        }
        File.SetUnixFileMode(path, UnixFiles.WorldReadable);

        await using (SqliteJobLog.Open(path))
        {
            Assert.Equal(UnixFiles.OwnerReadWrite, File.GetUnixFileMode(path));
        }
    }
}
