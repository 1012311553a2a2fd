using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;

namespace Courier.Bench.Detect;

/// <summary>
/// The dispatcher service of one round — as <c>courier serve</c> runs it, with the built-in watcher at its defaults
/// and one webhook — on the embedded SQLite log or a Kafka development cluster (librdkafka's mock brokers), with its
/// HTTP endpoint (<c>/metrics</c>, <c>/v1/alerts</c>) on a free loopback port. Disposing stops it and deletes its data.
/// </summary>
internal sealed class DetectDispatcher : IAsyncDisposable
{
    private readonly TempDirectory _data;
    private readonly KafkaDevCluster? _cluster;

    private DetectDispatcher(TempDirectory data, KafkaDevCluster? cluster, CourierServer server)
    {
        _data = data;
        _cluster = cluster;
        Server = server;
    }

    public CourierServer Server { get; }

    public static async Task<DetectDispatcher> StartAsync(string engine, string jobType, DetectHandler handler, Uri watcherWebhook,
        CancellationToken cancellationToken)
    {
        var data = new TempDirectory("detect-" + engine);
        KafkaDevCluster? cluster = null;
        if (engine == "kafka")
        {
            cluster = KafkaDevCluster.Start(brokers: 3);
            cluster.SetGroupInitialRebalanceDelay(TimeSpan.Zero); // alone in its group: no need to wait for others
        }
        var directory = new CourierDataDirectory(data.Path);
        var server = CourierServer.Create(new CourierServerOptions
        {
            Data = directory,
            Engine = cluster is null ? JobLogEngine.Sqlite(directory) : JobLogEngine.DevCluster(cluster),
            // Only the webhook is set: the evaluation interval and thresholds are the watcher's defaults.
            Config = new CourierConfig { Alerting = new AlertingConfig { Instance = "bench", Webhooks = new ConfigList<Uri>([watcherWebhook]) } },
            MetricsPort = 0,
            Demo = false,
            ConfigureLogging = _ => { },
            ConfigureCourier = courier => courier
                .AddHandler(jobType, handler)
                .ConfigureDispatcher(d => d.Rules.Add(new JobRule { Type = jobType, Concurrency = 50, Retry = new RetryPolicy { Limit = 0 } })),
        });
        var dispatcher = new DetectDispatcher(data, cluster, server);
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
