using Courier.Files;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Files;

/// <summary>What an I/O failure's message adds about the file system's space: something only when it is full.</summary>
public sealed class FreeSpaceTests
{
    [Fact]
    public async Task NoteIfFull_NamesTheFullFileSystem_AndNothingOnceItIsFreed()
    {
        using var disk = new FullDisk();
        var file = Path.Combine(disk.Path, "sub", "log.db"); // not there yet: its nearest existing directory is measured

        await disk.WhileFullAsync(() =>
        {
            var note = FreeSpace.NoteIfFull(file);
            Assert.StartsWith($"; the file system holding {disk.Path} has ", note, StringComparison.Ordinal);
            Assert.EndsWith(" bytes free: it is full", note, StringComparison.Ordinal);
            return Task.CompletedTask;
        });

        Assert.Equal("", FreeSpace.NoteIfFull(file));
    }
}
