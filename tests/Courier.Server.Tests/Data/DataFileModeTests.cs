using System.Runtime.Versioning;
using Courier.Server.Data;
using Courier.Server.Demo;
using Xunit;

namespace Courier.Server.Tests.Data;

[UnsupportedOSPlatform("windows")] // skipped there (RequireUnix): no Unix file modes
/// <summary>The data directory and the SQLite files Courier.Server creates in it are its owner's only.</summary>
public sealed class DataFileModeTests
{
    [Fact]
    public void EnsureCreated_CreatesTheDirectoryOwnerOnly()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("data-modes");
        var data = new CourierDataDirectory(dir.File("data"));

        data.EnsureCreated();

        Assert.Equal(UnixFiles.OwnerOnlyDirectory, File.GetUnixFileMode(data.Root));
    }

    [Fact]
    public void EnsureCreated_TightensAnExistingDirectoryOfOurs_ThatOthersCouldRead()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("data-modes");
        File.SetUnixFileMode(dir.Path, UnixFiles.OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        new CourierDataDirectory(dir.Path).EnsureCreated();

        Assert.Equal(UnixFiles.OwnerOnlyDirectory, File.GetUnixFileMode(dir.Path));
    }

    [Fact]
    public void EnsureCreated_RefusesAnotherUsersDirectory_ThatOthersCouldRead_NamingTheFix()
    {
        UnixFiles.RequireRootOnLinux();
        using var dir = new TempDirectory("data-modes");
        File.SetUnixFileMode(dir.Path, UnixFiles.OwnerOnlyDirectory | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        UnixFiles.GiveToOtherUser(dir.Path);

        var e = Assert.Throws<DataFileException>(() => new CourierDataDirectory(dir.Path).EnsureCreated());

        Assert.Equal(dir.Path, e.FilePath);
        Assert.Contains($"chmod 700 {dir.Path}", e.Message, StringComparison.Ordinal);
        Assert.Contains("chown", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoInbox_CreatesItsFileAndItsWalAndShmFilesOwnerReadWrite()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("data-modes");
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
