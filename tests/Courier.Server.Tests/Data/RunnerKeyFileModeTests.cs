using System.Runtime.Versioning;
using Xunit;

namespace Courier.Server.Tests.Data;

[UnsupportedOSPlatform("windows")] // skipped there (RequireUnix): no Unix file modes
public sealed class RunnerKeyFileModeTests
{
    private const string Keys = "k1=secret-0123456789abcdef-0123456789\n";

    [Fact]
    public void Load_RefusesAKeyFileOthersCanRead_NamingChmod600()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("runner-keys");
        var path = KeyFile(dir, UnixFiles.WorldReadable);

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(path));

        Assert.Equal(path, e.Origin);
        Assert.Contains($"chmod 600 {path}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-0123456789abcdef", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAKeyFileOfAnotherUser_NamingChown()
    {
        UnixFiles.RequireRootOnLinux();
        using var dir = new TempDirectory("runner-keys");
        var path = KeyFile(dir, UnixFiles.OwnerReadWrite);
        UnixFiles.GiveToOtherUser(path);

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(path));

        Assert.Equal(path, e.Origin);
        Assert.Contains("chown", e.Message, StringComparison.Ordinal);
        Assert.Contains($"uid {UnixFiles.OtherUser}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AcceptsAnOwnerOnlyKeyFileOfOurs()
    {
        UnixFiles.RequireUnix();
        using var dir = new TempDirectory("runner-keys");

        Assert.Equal("k1", Assert.Single(RunnerKeySource.FromFile(KeyFile(dir, UnixFiles.OwnerReadWrite)).Keys).Id);
    }

    private static string KeyFile(TempDirectory dir, UnixFileMode mode)
    {
        var path = dir.File("keys");
        File.WriteAllText(path, Keys);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
