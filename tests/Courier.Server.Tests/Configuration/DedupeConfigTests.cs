using Courier.Server.Configuration;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>
/// The <c>dedupe</c>, <c>claim_ttl</c> and <c>root_claim_ttl</c> keys of a rule: defaults, inheritance from the
/// default rule, pattern rules, <c>off</c>, and clear errors.
/// </summary>
public sealed class DedupeConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("dedupe-config");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("config.yaml", "dispatcher:\n  defaults:\n    dedupe: { window: 2h }\n    claim_ttl: 1d\n  rules:\n    a: {}\n    b:\n      dedupe: off\n    c:\n      dedupe:\n        window: 10m\n      root_claim_ttl: 604800\n  patterns:\n    low:\n      topics: '^low\\..*'\n      dedupe: off\n")]
    [InlineData("config.json", """{"dispatcher":{"defaults":{"dedupe":{"window":"2h"},"claim_ttl":"1d"},"rules":{"a":{},"b":{"dedupe":"off"},"c":{"dedupe":{"window":"10m"},"root_claim_ttl":604800}},"patterns":{"low":{"topics":"^low\\..*","dedupe":"off"}}}}""")]
    public void Load_ReadsDedupeAndClaimTtls_InheritingTheDefaultRule_AndOff(string name, string text)
    {
        var dispatcher = TestConfig.Dispatcher(_directory.Path, name, text);

        var a = dispatcher.RuleFor("a");
        Assert.Equal((true, TimeSpan.FromHours(2), TimeSpan.FromDays(1), (TimeSpan?)null),
            (a.Dedupe.Enabled, a.Dedupe.Window, a.ClaimTtl, a.RootClaimTtl));
        Assert.False(dispatcher.RuleFor("b").Dedupe.Enabled);
        var c = dispatcher.RuleFor("c");
        Assert.Equal((TimeSpan.FromMinutes(10), TimeSpan.FromDays(7)), (c.Dedupe.Window, c.RootClaimTtl));
        Assert.Equal(TimeSpan.FromHours(2), dispatcher.RuleFor("unlisted").Dedupe.Window);
        var low = Assert.Single(dispatcher.PatternRules).Settings.WithType("low.x");
        Assert.Equal((false, TimeSpan.FromDays(1)), (low.Dedupe.Enabled, low.ClaimTtl));
    }

    [Fact]
    public void Load_WithoutTheKeys_DeduplicatesForADay_AndNeverAbandons()
    {
        var rule = TestConfig.Dispatcher(_directory.Path, "config.yaml", "dispatcher:\n  rules:\n    a: {}\n").RuleFor("a");

        Assert.Equal((true, TimeSpan.FromDays(1), TimeSpan.FromDays(28), (TimeSpan?)null, (TimeSpan?)null),
            (rule.Dedupe.Enabled, rule.Dedupe.Window, rule.Dedupe.RootWindow, rule.ClaimTtl, rule.RootClaimTtl));
    }

    [Theory]
    [InlineData("dedupe: on", "dispatcher.rules.a.dedupe: must be a mapping or 'off', got 'on'")]
    [InlineData("dedupe: { window: 500ms }", "dispatcher.rules.a.dedupe.window: must be at least 1s")]
    [InlineData("dedupe: { windows: 1d }", "dispatcher.rules.a.dedupe: unknown key 'windows'")]
    [InlineData("claim_ttl: 0", "dispatcher.rules.a.claim_ttl: must be longer than 0")]
    [InlineData("root_claim_ttl: a week", "dispatcher.rules.a.root_claim_ttl: 'a week' is not a duration")]
    // Under dispatcher.rules the binder used to drop a rule whose duration did not convert, silently.
    [InlineData("timeout: 7 minutes", "dispatcher.rules.a.timeout: '7 minutes' is not a duration")]
    public void Load_RefusesBadValues_NamingTheKey(string line, string expected)
    {
        Assert.Contains(expected, TestConfig.RuleProblem(_directory.Path, line), StringComparison.Ordinal);
    }
}
