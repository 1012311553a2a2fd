using System.Text;
using System.Text.Json;
using Courier.Server.Configuration;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>The <c>probe</c> block of a rule: read into <see cref="JobRule.Probe"/>, refused with the key named when wrong.</summary>
public sealed class ProbeConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("probe-config");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ReadsAProbe_WithItsParamsAsJson()
    {
        var dispatcher = Load("""
            dispatcher:
              rules:
                massMessage:
                  probe:
                    every: 15s
                    params: '{"title": {"namespace": 2, "dbkey": "Probe"}, "message": "probe"}'
                    database: testwiki
                htmlCacheUpdate:
                  probe: { every: 1m }
            """);

        var probe = dispatcher.RuleFor("massMessage").Probe!;
        Assert.Equal(TimeSpan.FromSeconds(15), probe.Every);
        Assert.Equal(2, probe.Params.GetProperty("title").GetProperty("namespace").GetInt32());
        Assert.Equal("testwiki", probe.Database);
        var defaults = dispatcher.RuleFor("htmlCacheUpdate").Probe!;
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.Every);
        Assert.Equal(JsonValueKind.Object, defaults.Params.ValueKind);
        Assert.Equal("courier-probe", defaults.Database);
        Assert.Null(dispatcher.RuleFor("other").Probe);
    }

    [Theory]
    [InlineData("dispatcher:\n  rules:\n    t:\n      probe: { params: 'not json' }\n", "dispatcher.rules.t.probe.params: must be a JSON object written as text")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      probe: { params: '[1]' }\n", "is JSON but not an object")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      probe: { every: 0s }\n", "dispatcher.rules.t.probe.every")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      probe: { interval: 5s }\n", "dispatcher.rules.t.probe: unknown key 'interval'")]
    [InlineData("dispatcher:\n  defaults:\n    probe: { every: 5s }\n", "dispatcher.defaults: 'probe' belongs in a rule of its own type")]
    public void Load_RefusesBadProbeSettings(string text, string expected)
    {
        var e = Assert.Throws<CourierConfigException>(() => Load(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private DispatcherOptions Load(string text)
    {
        var path = _directory.File("config.yaml");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), dispatcher);
        return dispatcher;
    }
}
