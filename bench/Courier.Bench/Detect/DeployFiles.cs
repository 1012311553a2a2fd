using Courier.Server.Configuration;
using Courier.Testing.Alerting;
using YamlDotNet.RepresentationModel;

namespace Courier.Bench.Detect;

/// <summary>
/// What the repository ships in deploy/prometheus, read when the bench runs: the rules Prometheus evaluates, and the
/// intervals the example <c>prometheus.yml</c> and <c>alertmanager.yml</c> document, which the measurement uses.
/// </summary>
internal sealed record DeployFiles(string RulesFile, PrometheusIntervals Prometheus, TimeSpan GroupWait, TimeSpan GroupInterval, string FailingExpression)
{
    /// <summary>The folder, relative to the repository's root.</summary>
    public const string Folder = "deploy/prometheus";

    /// <summary>Finds deploy/prometheus above the program or the working directory and reads it.</summary>
    public static DeployFiles Load(string failingAlert)
    {
        var folder = new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }
            .SelectMany(Ancestors)
            .Select(d => Path.Combine(d, Folder))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "courier.rules.yml")))
            ?? throw new InvalidOperationException($"{Folder}/courier.rules.yml not found above {AppContext.BaseDirectory} or the working directory");
        var prometheus = Root(Path.Combine(folder, "prometheus.example.yml"));
        var global = (YamlMappingNode)prometheus["global"];
        var route = (YamlMappingNode)Root(Path.Combine(folder, "alertmanager.example.yml"))["route"];
        var rulesFile = Path.Combine(folder, "courier.rules.yml");
        return new DeployFiles(
            rulesFile,
            new PrometheusIntervals(Interval(global, "scrape_interval"), Interval(global, "scrape_timeout"), Interval(global, "evaluation_interval")),
            Interval(route, "group_wait"),
            Interval(route, "group_interval"),
            Expression(Root(rulesFile), failingAlert));
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            yield return d.FullName;
        }
    }

    private static YamlMappingNode Root(string file)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            yaml.Load(reader);
        }
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static TimeSpan Interval(YamlMappingNode section, string key) =>
        Duration.TryParse(((YamlScalarNode)section[key]).Value ?? "", out var duration)
            ? duration.TimeSpan
            : throw new InvalidOperationException($"{key} in {Folder} is not a duration");

    /// <summary>The alert's expression, on one line.</summary>
    private static string Expression(YamlMappingNode rules, string alert)
    {
        var rule = ((YamlSequenceNode)rules["groups"]).Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
            .FirstOrDefault(r => r.Children.TryGetValue("alert", out var name) && ((YamlScalarNode)name).Value == alert)
            ?? throw new InvalidOperationException($"{Folder}/courier.rules.yml has no alert {alert}");
        return string.Join(' ', (((YamlScalarNode)rule["expr"]).Value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
