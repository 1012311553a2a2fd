using Courier.Server.Configuration;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>
/// What the configuration binder alone would get wrong, and the checks before it get right: C# property names bind
/// nothing, names of values are exact, ranges are named with key path and line.
/// </summary>
public sealed class ConfigBindingTests : IDisposable
{
    private readonly TempDirectory _directory = new("config");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("dispatcher:\n  GroupId: g\n", "dispatcher: unknown key 'GroupId'", 2)]
    [InlineData("engine:\n  kind: Kafka\n", "engine.kind: unknown engine 'Kafka' (expected sqlite or kafka)", 2)]
    [InlineData("engine:\n  kind: 1\n", "engine.kind: unknown engine '1' (expected sqlite or kafka)", 2)]
    [InlineData("dispatcher:\n  defaults:\n    ignore: [1]\n", "dispatcher.defaults.ignore[0]: unknown failure class '1' (expected retryable, permanent or backpressure)", 3)]
    [InlineData("http:\n  max_request_header_bytes: 100\n", "http.max_request_header_bytes: must be at least 1024, got 100", 2)]
    [InlineData("dispatcher:\n  shutdown_drain_timeout: 0\n  commit_interval: 0\n", "dispatcher.commit_interval: must be longer than 0", 3)]
    [InlineData("http:\n  allowed_hosts: [localhost, '']\n", "http.allowed_hosts[1]: must not be empty", 2)]
    [InlineData("intake:\n  max_events: lots\n", "intake.max_events: must be a whole number, got 'lots'", 2)]
    public void Load_RefusesWhatTheBinderWouldTakeOrDrop(string text, string expected, int line)
    {
        var path = _directory.File("config.yaml");
        File.WriteAllText(path, text);

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.Equal(($"{path}: {expected}", line), (e.Message, e.Line));
    }

    [Fact]
    public void Load_TakesAnEmptyPrefix_AndAZeroDrainTimeout()
    {
        var path = _directory.File("config.yaml");
        File.WriteAllText(path, "job_topic_prefix: ''\ndispatcher:\n  shutdown_drain_timeout: 0\n");

        var config = CourierConfigFile.Load(path);

        Assert.Equal(("", TimeSpan.Zero), (config.JobTopicPrefix, config.Dispatcher.ShutdownDrainTimeout?.TimeSpan));
    }
}
