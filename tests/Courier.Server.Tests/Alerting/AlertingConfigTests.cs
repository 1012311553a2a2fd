using Courier.Server.Alerting;
using Courier.Server.Configuration;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>The <c>alerting</c> section: read into the watcher's settings, with impossible values refused naming the key.</summary>
public sealed class AlertingConfigTests
{
    [Fact]
    public void AlertingSection_SetsTheWatcher()
    {
        using var dir = new TempDirectory();
        var config = TestConfig.Load(dir.Path, """
            alerting:
              evaluation_interval: 2s
              failure_budget: 0.001
              failing_ratio: 0.8
              failing_min_failures: 3
              hold_for: 3s
              instance: mw1234
              alertmanager: { url: "http://127.0.0.1:9093/", resend_interval: 30s }
              webhooks: [ "http://127.0.0.1:8080/hook" ]
            """);

        var settings = WatcherSettings.From(config.Alerting, "cpjobqueue");

        Assert.Equal(new WatcherSettings
        {
            EvaluationInterval = TimeSpan.FromSeconds(2), FailureBudget = 0.001, FailingRatio = 0.8, FailingMinFailures = 3, HoldFor = TimeSpan.FromSeconds(3),
            Service = "cpjobqueue", Instance = "mw1234", AlertmanagerUrl = new Uri("http://127.0.0.1:9093/"),
            ResendInterval = TimeSpan.FromSeconds(30), Webhooks = settings.Webhooks,
        }, settings);
        Assert.Equal([new Uri("http://127.0.0.1:8080/hook")], settings.Webhooks);
        Assert.Equal(0.8, settings.FailingThreshold);
    }

    [Fact]
    public void WithoutFailingRatio_CourierJobTypeFailing_UsesTheFastBurnThresholdOfTheBudget()
    {
        using var dir = new TempDirectory();
        var config = TestConfig.Load(dir.Path, "alerting:\n  failure_budget: 0.001\n");

        var settings = WatcherSettings.From(config.Alerting, "courier");

        Assert.Null(settings.FailingRatio);
        Assert.Equal(14.4 * 0.001, settings.FailingThreshold, 12);
        Assert.Equal(0.144, new WatcherSettings().FailingThreshold, 12);
    }

    [Theory]
    [InlineData("alerting:\n  failing_ratio: 1.5\n", "alerting.failing_ratio: must be a share above 0 and at most 1")]
    [InlineData("alerting:\n  failure_budget: 0\n", "alerting.failure_budget: must be a share above 0 and below 1")]
    [InlineData("alerting:\n  failing_min_failures: 0\n", "alerting.failing_min_failures")]
    [InlineData("alerting:\n  webhooks: [ \"ftp://example.org/x\" ]\n", "alerting.webhooks[0]: 'ftp://example.org/x' is not an http or https URL")]
    [InlineData("alerting:\n  alertmanager: { url: \"file:///tmp/am\" }\n", "alerting.alertmanager.url: 'file:///tmp/am' is not an http or https URL")]
    public void ImpossibleValues_AreRefused_NamingTheKey(string yaml, string expected)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<CourierConfigException>(() => TestConfig.Load(dir.Path, yaml));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
