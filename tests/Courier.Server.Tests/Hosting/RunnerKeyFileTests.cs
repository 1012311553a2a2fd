using Courier.Server.Data;
using Xunit;

namespace Courier.Server.Tests.Hosting;

public sealed class RunnerKeyFileTests
{
    [Fact]
    public void CreateIfMissing_WritesOneRandomOwnerOnlyKey_Once()
    {
        using var dir = new TempDirectory("runner-keys");
        var path = RunnerKeyFile.DefaultPath(new CourierDataDirectory(dir.Path));

        Assert.True(RunnerKeyFile.CreateIfMissing(path));
        var first = Assert.Single(RunnerKeySource.FromFile(path).Keys);
        Assert.False(RunnerKeyFile.CreateIfMissing(path));
        var again = Assert.Single(RunnerKeySource.FromFile(path).Keys);

        Assert.Equal(Path.Combine(dir.Path, "runner-keys"), path);
        Assert.StartsWith("dev-", first.Id, StringComparison.Ordinal);
        Assert.Equal(32, first.Secret.Length);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Secret, again.Secret);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no temporary left behind
    }

    [Fact]
    public void CreateIfMissing_MakesDifferentKeys_InDifferentDirectories()
    {
        using var a = new TempDirectory("runner-keys");
        using var b = new TempDirectory("runner-keys");
        RunnerKeyFile.CreateIfMissing(a.File(RunnerKeyFile.FileName));
        RunnerKeyFile.CreateIfMissing(b.File(RunnerKeyFile.FileName));

        Assert.NotEqual(RunnerKeySource.FromFile(a.File(RunnerKeyFile.FileName)).Keys[0].Secret, RunnerKeySource.FromFile(b.File(RunnerKeyFile.FileName)).Keys[0].Secret);
    }

    [Fact]
    public void Load_ReadsSeveralKeys_FirstIsTheSigningKey()
    {
        using var dir = new TempDirectory("runner-keys");
        UnixFiles.WriteOwnerOnly(dir.File("keys"), "new=new-secret-0123456789abcdef\nold=old-secret-0123456789abcdef\n");

        var keys = RunnerKeySource.FromFile(dir.File("keys")).Keys;

        Assert.Equal(["new", "old"], keys.Select(k => k.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("just-a-secret-without-an-id")]
    [InlineData("k=short")]
    public void Load_NamesTheFile_WithoutEchoingSecrets_WhenItIsNotAKeyFile(string text)
    {
        using var dir = new TempDirectory("runner-keys");
        UnixFiles.WriteOwnerOnly(dir.File("keys"), text);

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(dir.File("keys")));

        Assert.Equal(dir.File("keys"), e.Origin);
        Assert.DoesNotContain("just-a-secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFile_WhenItIsMissing()
    {
        using var dir = new TempDirectory("runner-keys");

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(dir.File("missing")));

        Assert.Equal(dir.File("missing"), e.Origin);
    }
}
