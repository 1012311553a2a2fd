using Courier.Server.Configuration;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>
/// Where values come from besides the file's text: environment variables over the file, and paths relative to the
/// file's folder. Each test reads the environment under a prefix of its own, so tests running at the same time
/// cannot see each other's variables.
/// </summary>
public sealed class ConfigSourcesTests : IDisposable
{
    private readonly TempDirectory _directory = new("config");
    private readonly string _prefix = $"COURIER_TEST_{Guid.NewGuid():N}__";
    private readonly List<string> _variables = [];

    public void Dispose()
    {
        foreach (var variable in _variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
        _directory.Dispose();
    }

    [Theory]
    [InlineData("courier.yaml", "dispatcher:\n  group_id: from-file\n  rules:\n    refreshLinks:\n      concurrency: 3\n      timeout: 1m\n")]
    [InlineData("courier.json", """{"dispatcher":{"group_id":"from-file","rules":{"refreshLinks":{"concurrency":3,"timeout":"1m"}}}}""")]
    public void EnvironmentVariables_OverrideTheFile_KeyByKey(string name, string text)
    {
        Set("DISPATCHER__GROUP_ID", "from-environment");
        Set("DISPATCHER__RULES__REFRESHLINKS__CONCURRENCY", "7");
        Set("DISPATCHER__COMMIT_INTERVAL", "2s");

        var config = CourierConfigFile.Load(Write(name, text), _prefix);

        var dispatcher = new DispatcherOptions();
        config.ApplyTo(new CourierOptions(), dispatcher);
        Assert.Equal("from-environment", dispatcher.GroupId);
        Assert.Equal(TimeSpan.FromSeconds(2), dispatcher.CommitInterval);
        var rule = Assert.Single(dispatcher.Rules);
        Assert.Equal(("refreshLinks", 7, TimeSpan.FromMinutes(1)), (rule.Type, rule.Concurrency, rule.Timeout));
    }

    [Fact]
    public void EnvironmentVariables_AreCheckedLikeTheFile()
    {
        Set("DISPATCHER__GROUP_IDD", "typo");
        var path = Write("courier.yaml", "dispatcher:\n  group_id: g\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path, _prefix));

        Assert.Contains("unknown key 'GROUP_IDD'", e.Message, StringComparison.Ordinal);
        Assert.Equal("dispatcher", e.KeyPath);
    }

    [Fact]
    public void RelativePaths_AreRelativeToTheFilesFolder_NotTheWorkingDirectory()
    {
        var folder = Directory.CreateDirectory(_directory.File("etc")).FullName;
        using var ca = TestCertificateAuthority.Create("relative CA");
        ca.WritePem(Path.Combine(folder, "ca.pem"));
        var path = Path.Combine(folder, "courier.yaml");
        File.WriteAllText(path, """
            data: ./data
            params_schemas:
              directory: ../schemas
            runners:
              secure:
                urls: [https://10.0.0.1:5443]
                ca_file: ca.pem
            """);

        var config = CourierConfigFile.Load(path, _prefix);

        Assert.NotEqual(folder, Environment.CurrentDirectory);
        Assert.Equal(Path.Combine(folder, "data"), config.Data);
        Assert.Equal(_directory.File("schemas"), config.ParamsSchemas!.Directory);
        Assert.Equal(Path.Combine(folder, "ca.pem"), config.Runners["secure"].CaFile);
    }

    [Fact]
    public void RelativePaths_FromTheEnvironment_AreRelativeToTheFilesFolderToo()
    {
        Set("DATA", "state");
        var path = Write("courier.yaml", "service: courier\n");

        Assert.Equal(_directory.File("state"), CourierConfigFile.Load(path, _prefix).Data);
    }

    [Fact]
    public void Load_ReadsAFileWhoseNameStartsWithADot()
    {
        var path = Write(".courier.yaml", "service: hidden\n");

        Assert.Equal("hidden", CourierConfigFile.Load(path, _prefix).Service);
    }

    private void Set(string key, string value)
    {
        var variable = _prefix + key;
        _variables.Add(variable);
        Environment.SetEnvironmentVariable(variable, value);
    }

    private string Write(string name, string text)
    {
        var path = _directory.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}
