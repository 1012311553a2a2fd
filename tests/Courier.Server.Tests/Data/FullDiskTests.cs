using Courier.Server.Admin.Index;
using Courier.Server.Data;
using Courier.Server.Demo;
using Xunit;

namespace Courier.Server.Tests.Data;

/// <summary>
/// A data-directory file opened on a full disk: SQLite may say only "disk I/O error", so the error also says the
/// disk is full (`courier serve` in the chaos soak refused to start with nothing but "disk I/O error").
/// </summary>
public sealed class FullDiskTests
{
    [Theory]
    [InlineData("dead-letter index")]
    [InlineData("demo inbox")]
    public async Task Open_OnAFullDisk_SaysTheDiskIsFull(string file)
    {
        using var disk = new FullDisk();
        var path = Path.Combine(disk.Path, "file.db");

        await disk.WhileFullAsync(() =>
        {
            var e = Assert.Throws<DataFileException>(() => file == "demo inbox" ? DemoInbox.Open(path) : (object)DeadLetterIndex.Open(path, "courier.error"));
            Assert.True(e.Message.Contains(path, StringComparison.Ordinal)
                && e.Message.Contains($"the file system holding {disk.Path} has ", StringComparison.Ordinal)
                && e.Message.Contains("bytes free: it is full", StringComparison.Ordinal), e.Message);
            return Task.CompletedTask;
        });
    }
}
