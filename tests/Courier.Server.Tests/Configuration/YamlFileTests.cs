using Courier.Server.Configuration;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>What YAML adds to the keys: nulls against empty lists, merge keys, one document, lines in errors.</summary>
public sealed class YamlFileTests : IDisposable
{
    private readonly TempDirectory _directory = new("config");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AnEmptyList_Overrides_ButANullKeepsTheDefault()
    {
        var dispatcher = Apply("""
            dispatcher:
              defaults: { ignore: [permanent] }
              rules:
                emptied: { ignore: [] }
                kept: { ignore: }
                tilde: { ignore: ~ }
            """);

        Assert.Empty(dispatcher.RuleFor("emptied").Ignore);
        Assert.Equal([FailureClass.Permanent], dispatcher.RuleFor("kept").Ignore);
        Assert.Equal([FailureClass.Permanent], dispatcher.RuleFor("tilde").Ignore);
    }

    [Fact]
    public void MergeKeys_TakeTheFirstMappingThatSetsAKey_AndKeysSetHereWin()
    {
        var dispatcher = Apply("""
            dispatcher:
              rules:
                a: &a { concurrency: 5, timeout: 30s }
                b: &b { concurrency: 9, retry: { limit: 0 } }
                c:
                  <<: [*a, *b]
                  timeout: 1m
            """);

        var c = dispatcher.RuleFor("c");
        Assert.Equal((5, TimeSpan.FromMinutes(1), 0), (c.Concurrency, c.Timeout, c.Retry.Limit));
    }

    [Fact]
    public void MoreThanOneDocument_IsRefused()
    {
        var path = Write("service: a\n---\nservice: b\n");

        Assert.Equal($"{path}: holds more than one YAML document; put everything in one",
            Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path)).Message);
    }

    [Fact]
    public void Errors_CarryTheLineOfTheKey()
    {
        var path = Write("service: a\ndispatcher:\n  defaults:\n    timeout: 0s\n");

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.Equal(("dispatcher.defaults.timeout", 4), (e.KeyPath, e.Line));
    }

    private DispatcherOptions Apply(string yaml)
    {
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(Write(yaml)).ApplyTo(new CourierOptions(), dispatcher);
        return dispatcher;
    }

    private string Write(string yaml)
    {
        var path = _directory.File("courier.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
