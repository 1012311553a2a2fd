using System.Runtime.Versioning;
using Xunit;

namespace Courier.Server.Tests.Demo;

[UnsupportedOSPlatform("windows")] // skipped there (RequireUnix): no Unix file modes
public sealed class DemoInboxFileModeTests
{
    [Fact]
    public async Task Open_CreatesTheInboxAndItsWalAndShmFilesOwnerReadWrite()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("inbox-modes");
        var path = dir.File("demo.db");

        await using var inbox = DemoInbox.Open(path);
        await inbox.DeliverAsync(new InboxMessage("job-1", "r", "User_talk:R", "s", "b"), TestContext.Current.CancellationToken);

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            Assert.True(File.Exists(file), $"{file} should exist while the inbox is open");
            Assert.Equal(UnixFiles.OwnerReadWrite, File.GetUnixFileMode(file));
        }
    }
}
