using Courier.Testing;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>The one reader of runner keys: each source, each refusal, and that secrets never reach a message.</summary>
public sealed class RunnerKeySourceTests
{
    private const string Secret = "secret-0123456789abcdef";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void FromEnvironment_IsNull_WhenTheVariableIsUnsetOrBlank(string? value) =>
        Assert.Null(RunnerKeySource.FromEnvironment(Environment(value)));

    [Fact]
    public void FromEnvironment_ReadsTheKeysInOrder_NamingTheVariable()
    {
        var keys = RunnerKeySource.FromEnvironment(Environment($"new=new-{Secret}, old=old-{Secret}"));

        Assert.NotNull(keys);
        Assert.Equal(["new", "old"], keys.Keys.Select(k => k.Id));
        Assert.Equal("new", keys.SigningKey.Id);
        Assert.Equal(RunnerKey.EnvironmentVariable, keys.Origin);
        Assert.True(keys.FromEnvironment);
    }

    [Theory]
    [InlineData("just-a-" + Secret, "not runner keys (id=secret[,id2=secret2]): runner key 1 is not of the form id=secret")]
    [InlineData("=" + Secret, "runner key 1 is not of the form id=secret")]
    [InlineData("a=" + Secret + ",a=" + Secret, "runner key id 'a' appears twice")]
    [InlineData("a b=" + Secret, "must not contain")]
    [InlineData("a=short", "not runner keys")]
    [InlineData(" , \n", "holds no runner key")]
    public void FromEnvironment_Refuses_NamingTheVariable_WithoutEchoingSecrets(string value, string expected)
    {
        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromEnvironment(Environment(value)));

        Assert.StartsWith($"{RunnerKey.EnvironmentVariable}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(RunnerKey.EnvironmentVariable, e.Origin);
        Assert.True(e.FromEnvironment);
        Assert.DoesNotContain("0123456789", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_ReadsTheKeys_NamingTheFullPath()
    {
        using var dir = new TempDirectory("runner-key-source");
        var path = OwnerOnlyFile(dir, $"k1=one-{Secret}\nk2=two-{Secret}\n");

        var keys = RunnerKeySource.FromFile(path);

        Assert.Equal(["k1", "k2"], keys.Keys.Select(k => k.Id));
        Assert.Equal(Path.GetFullPath(path), keys.Origin);
        Assert.False(keys.FromEnvironment);
    }

    [Theory]
    [InlineData("", "holds no runner key")]
    [InlineData("just-a-" + Secret, "not runner keys (id=secret[,id2=secret2])")]
    public void FromFile_Refuses_NamingTheFile_WithoutEchoingSecrets(string text, string expected)
    {
        using var dir = new TempDirectory("runner-key-source");
        var path = OwnerOnlyFile(dir, text);

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(path));

        Assert.StartsWith($"{path}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.Origin);
        Assert.False(e.FromEnvironment);
        Assert.DoesNotContain("0123456789", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_Refuses_AMissingFile()
    {
        using var dir = new TempDirectory("runner-key-source");

        var e = Assert.Throws<RunnerKeyException>(() => RunnerKeySource.FromFile(dir.File("missing")));

        Assert.Contains("cannot read runner keys", e.Message, StringComparison.Ordinal);
        Assert.Equal(dir.File("missing"), e.Origin);
    }

    [Fact]
    public void Read_PrefersTheFile_ElseTheEnvironment()
    {
        using var dir = new TempDirectory("runner-key-source");
        var path = OwnerOnlyFile(dir, $"file=file-{Secret}");
        var environment = Environment($"env=env-{Secret}");

        Assert.Equal("file", RunnerKeySource.Read(path, environment)!.SigningKey.Id);
        Assert.Equal("env", RunnerKeySource.Read(null, environment)!.SigningKey.Id);
        Assert.Null(RunnerKeySource.Read(null, Environment(null)));
    }

    private static Func<string, string?> Environment(string? value) =>
        name => name == RunnerKey.EnvironmentVariable ? value : throw new InvalidOperationException($"read {name}");

    private static string OwnerOnlyFile(TempDirectory dir, string text)
    {
        var path = dir.File("keys");
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
