using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The shipped Prometheus rules (deploy/prometheus/courier.rules.yml) are valid and pass their unit tests
/// (courier.rules.test.yml: every alert fires on failing input series and stays quiet on healthy ones).
/// </summary>
public sealed class PrometheusRulesTests
{
    [Fact]
    public async Task ShippedRules_PassPromtoolCheck()
    {
        var output = await Promtool.RunAsync("check", "rules", Path.Combine(Promtool.RulesDirectory, "courier.rules.yml"));

        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public async Task ShippedRules_PassTheirUnitTests()
    {
        var output = await Promtool.RunAsync("test", "rules", Path.Combine(Promtool.RulesDirectory, "courier.rules.test.yml"));

        Assert.Contains("SUCCESS", output);
    }
}
