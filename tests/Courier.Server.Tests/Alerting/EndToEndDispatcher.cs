using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Kafka;
using Courier.Server.Tests.Support;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// The dispatcher service of an end-to-end alerting test on one engine — the embedded SQLite log or a Kafka
/// development cluster (librdkafka's mock brokers) — with <c>/metrics</c> on a free loopback port for Prometheus, no
/// demo handlers or schemas, logging nowhere. Disposing stops it, then the cluster and the data directory.
/// </summary>
internal sealed class EndToEndDispatcher : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly KafkaDevCluster? _cluster;

    private EndToEndDispatcher(TempDirectory data, KafkaDevCluster? cluster, CourierServer server)
    {
        _data = data;
        _cluster = cluster;
        Server = server;
    }

    /// <summary>The engines the scenarios run on.</summary>
    public static readonly IReadOnlyList<string> Engines = ["sqlite", "kafka"];

    public CourierServer Server { get; }

    /// <summary>The data directory (the downtime store of <c>courier downtime --data</c>).</summary>
    public string DataPath => _data.Path;

    /// <summary>What Prometheus scrapes.</summary>
    public Uri MetricsUrl => Server.MetricsUrl!;

    /// <summary>
    /// Starts a dispatcher on <paramref name="engine"/> (one of <see cref="Engines"/>) with the registrations of
    /// <paramref name="configure"/> and, when given, a configuration file's text (<c>alerting:</c> for the built-in watcher).
    /// </summary>
    public static async Task<EndToEndDispatcher> StartAsync(string engine, Action<CourierBuilder> configure, CancellationToken cancellationToken,
        string? configYaml = null)
    {
        var data = new TempDirectory("e2e-alerting");
        var config = configYaml is null ? null : TestConfig.Load(data.Path, configYaml);
        var cluster = engine == "kafka" ? DevClusters.Start() : null;
        var directory = new CourierDataDirectory(data.Path);
        var server = CourierServer.Create(new CourierServerOptions
        {
            Data = directory,
            Config = config,
            Engine = cluster is null ? JobLogEngine.Sqlite(directory) : JobLogEngine.DevCluster(cluster),
            MetricsPort = 0,
            Demo = false,
            ConfigureLogging = _ => { },
            ConfigureCourier = configure,
        });
        var dispatcher = new EndToEndDispatcher(data, cluster, server);
        try
        {
            await server.StartAsync(cancellationToken);
            return dispatcher;
        }
        catch
        {
            await dispatcher.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        _cluster?.Dispose();
        _data.Dispose();
    }
}
