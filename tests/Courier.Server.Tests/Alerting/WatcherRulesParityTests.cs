using Courier.Testing.Alerting;
using Courier.Server.Alerting;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Courier.Server.Tests.Alerting;

/// <summary>The built-in watcher evaluates the shipped rules' alerts: the same names, severities and <c>for</c> durations.</summary>
public sealed class WatcherRulesParityTests
{
    [Fact]
    public void WatcherRules_MatchTheShippedPrometheusAlerts()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(Promtool.RulesDirectory, "courier.rules.yml")))
        {
            yaml.Load(reader);
        }
        var shipped = ((YamlMappingNode)yaml.Documents[0].RootNode)["groups"].AllNodes.OfType<YamlMappingNode>()
            .Where(n => n.Children.ContainsKey("alert"))
            .Select(n => (
                Name: n["alert"].ToString(),
                Severity: ((YamlMappingNode)n["labels"])["severity"].ToString(),
                For: n.Children.TryGetValue("for", out var f) ? Minutes(f.ToString()) : TimeSpan.Zero))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        var settings = new WatcherSettings();
        var watcher = FailureRatioRules.Create(settings).Concat(PipelineRules.Create()).Concat(RunnerRules.Create(settings)).Concat(ProbeRules.Create()).Concat(ClaimRules.Create())
            .Concat(StateRules.Create())
            .Select(r => (r.Name, r.Severity, r.For))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(shipped, watcher);
        Assert.Contains(watcher, r => r.Name == "CourierJobTypeFailing");
    }

    private static TimeSpan Minutes(string duration) =>
        duration.EndsWith('m') ? TimeSpan.FromMinutes(int.Parse(duration[..^1], System.Globalization.CultureInfo.InvariantCulture))
            : throw new FormatException($"the rules use minutes for `for`, not '{duration}'");
}
