using System.Runtime.Versioning;
using Xunit;

namespace Courier.Server.Tests.Data;

[UnsupportedOSPlatform("windows")] // skipped there (RequireUnix): no Unix file modes
public sealed class DataDirectoryModeTests
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
}
