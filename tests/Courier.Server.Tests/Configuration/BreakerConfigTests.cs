using Courier.Server.Configuration;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>The <c>breaker</c> block of a rule: defaults, inheritance from the default rule, <c>off</c>, and clear errors.</summary>
public sealed class BreakerConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("breaker-config");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("config.yaml", "dispatcher:\n  defaults:\n    breaker: { min_samples: 50, open_for: 30s }\n  rules:\n    a: {}\n    b:\n      breaker: off\n    c:\n      breaker:\n        failure_ratio: 0.9\n")]
    [InlineData("config.json", """{"dispatcher":{"defaults":{"breaker":{"min_samples":50,"open_for":"30s"}},"rules":{"a":{},"b":{"breaker":"off"},"c":{"breaker":{"failure_ratio":0.9}}}}}""")]
    public void Load_ReadsBreakers_InheritingTheDefaultRules_AndOff(string name, string text)
    {
        var dispatcher = TestConfig.Dispatcher(_directory.Path, name, text);

        var a = dispatcher.RuleFor("a").Breaker;
        Assert.True(a.Enabled);
        Assert.Equal((0.5, 50, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 3),
            (a.FailureRatio, a.MinSamples, a.Window, a.OpenFor, a.MaxOpenFor, a.HalfOpenJobs));
        Assert.False(dispatcher.RuleFor("b").Breaker.Enabled);
        Assert.Equal((0.9, 50), (dispatcher.RuleFor("c").Breaker.FailureRatio, dispatcher.RuleFor("c").Breaker.MinSamples));
        Assert.Equal(50, dispatcher.RuleFor("unlisted").Breaker.MinSamples);
    }

    [Fact]
    public void Load_WithoutABreakerBlock_TurnsTheDefaultBreakerOn()
    {
        var breaker = TestConfig.Dispatcher(_directory.Path, "config.yaml", "dispatcher:\n  rules:\n    a: {}\n").RuleFor("a").Breaker;

        Assert.True(breaker.Enabled);
        Assert.Equal((0.5, 20, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), 3),
            (breaker.FailureRatio, breaker.MinSamples, breaker.Window, breaker.OpenFor, breaker.MaxOpenFor, breaker.HalfOpenJobs));
    }

    [Theory]
    [InlineData("breaker: on", "dispatcher.rules.a.breaker: must be a mapping or 'off', got 'on'")]
    [InlineData("breaker: { failure_ratio: 1.5 }", "dispatcher.rules.a.breaker.failure_ratio: must be a number between 0 and 1 (exclusive), got 1.5")]
    [InlineData("breaker: { min_samples: 0 }", "dispatcher.rules.a.breaker.min_samples: must be at least 1, got 0")]
    [InlineData("breaker: { window: 500ms }", "dispatcher.rules.a.breaker.window: must be at least 1s (it is cut into six buckets), got 500ms")]
    [InlineData("breaker: { open_for: 10m, max_open_for: 1m }", "dispatcher.rules.a.breaker.max_open_for: must not be shorter than open_for (10m), got 1m")]
    [InlineData("breaker: { half_open: 3 }", "dispatcher.rules.a.breaker: unknown key 'half_open'")]
    public void Load_RefusesABadBreaker_NamingTheKey(string breaker, string expected)
    {
        Assert.Contains(expected, TestConfig.RuleProblem(_directory.Path, breaker), StringComparison.Ordinal);
    }
}
