using System.Text;
using Xunit;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The example configurations shipped for operators (deploy/prometheus/prometheus.example.yml and
/// alertmanager.example.yml) are valid for the real tools: promtool loads the Prometheus one with the shipped rules,
/// amtool the Alertmanager one.
/// </summary>
public sealed class EndToEndExampleConfigTests
{
    [Fact]
    public async Task ThePrometheusExample_IsValid_AndLoadsTheShippedRules()
    {
        var output = await Promtool.RunAsync("check", "config", Path.Combine(Promtool.RulesDirectory, "prometheus.example.yml"));

        Assert.Contains("SUCCESS: 1 rule files found", output, StringComparison.Ordinal);
        Assert.Contains("courier.rules.yml", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAlertmanagerExample_IsValid()
    {
        var amtool = SystemTool.Require("prometheus-alertmanager", "the example configuration's check", "amtool");

        var run = await ChildProcess.RunBinaryAsync(amtool, ["check-config", Path.Combine(Promtool.RulesDirectory, "alertmanager.example.yml")],
            input: null, TimeSpan.FromSeconds(60));

        var output = Encoding.UTF8.GetString(run.Stdout) + run.Stderr;
        Assert.True(run.ExitCode == 0, $"amtool check-config failed:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }
}
