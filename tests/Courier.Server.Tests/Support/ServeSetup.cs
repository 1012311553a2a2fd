using System.Net;
using Xunit;

namespace Courier.Server.Tests.Support;

/// <summary>What a <c>courier serve</c> under test needs: a configuration file, a port for its <c>metrics.listen</c>, and its readiness.</summary>
internal static class ServeSetup
{
    /// <summary>A port on 127.0.0.1 nothing listens on now, for a configuration's <c>metrics.listen</c>.</summary>
    public static int FreePort() => LoopbackApp.RefusingUrl().Port;

    /// <summary>
    /// Writes <c>courier.yaml</c> into <paramref name="dir"/>: the data directory, the Kafka engine of <paramref name="cluster"/>
    /// (short linger and fetch waits, for tests), <c>metrics.listen</c> on <paramref name="metricsPort"/>, then
    /// <paramref name="rest"/> (more top-level sections, e.g. <c>dispatcher</c> and <c>runners</c>). Returns its path.
    /// </summary>
    public static async Task<string> WriteKafkaConfigAsync(TempDirectory dir, KafkaDevCluster cluster, int metricsPort, string rest)
    {
        var path = dir.File("courier.yaml");
        await File.WriteAllTextAsync(path, $$"""
            data: {{dir.Path}}
            engine:
              kind: kafka
              bootstrap_servers: "{{cluster.BootstrapServers}}"
              producer:
                linger.ms: 1
              consumer:
                fetch.wait.max.ms: 50
            metrics:
              listen: 127.0.0.1:{{metricsPort}}

            """ + rest, TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>True once <c>/health/ready</c> answers 200; false while nothing listens or it is not ready.</summary>
    public static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
