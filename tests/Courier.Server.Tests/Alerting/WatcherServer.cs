using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Alerting;
using Courier.Server.Data;
using Courier.Server.Downtimes;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// A started dispatcher service on the embedded log with the watcher evaluating every 50 ms: a handler per type that
/// fails while its switch is set, an <c>alerting</c> section of the test's choosing and optionally downtimes.
/// </summary>
internal sealed class WatcherServer : IAsyncDisposable
{
    private WatcherServer(CourierServer server) => Server = server;

    public CourierServer Server { get; }

    public HttpClient Http { get; } = new();

    public static async Task<WatcherServer> StartAsync(string directory, string alertingYaml, IReadOnlyDictionary<string, SwitchableHandler> handlers,
        IDowntimeReader? downtimes = null, CancellationToken cancellationToken = default)
    {
        var config = TestConfig.Load(directory, "alerting:\n  evaluation_interval: 50ms\n  instance: test-host\n" + alertingYaml);
        var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(Path.Combine(directory, "data")),
            Config = config,
            MetricsPort = 0,
            Demo = false,
            ConfigureLogging = _ => { },
            ConfigureCourier = courier =>
            {
                foreach (var (type, handler) in handlers)
                {
                    // The watcher's alerts are about failures the types' rules route: no breaker holds (or stops) them.
                    courier.AddHandler(type, handler).ConfigureDispatcher(o => o.Rules.Add(new JobRule { Type = type, Breaker = BreakerPolicy.Off }));
                }
                if (downtimes is not null)
                {
                    courier.Services.AddSingleton(downtimes);
                }
            },
        });
        await server.StartAsync(cancellationToken);
        var started = new WatcherServer(server);
        started.Http.BaseAddress = server.BaseUrl;
        return started;
    }

    /// <summary>A job type name no other test uses: <c>flaky</c> plus eight hex digits.</summary>
    public static string UniqueType(string name) => name + Guid.NewGuid().ToString("N")[..8];

    public async Task EnqueueAsync(string type, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await Server.Client.EnqueueAsync(new JobRequest { Type = type, Database = "enwiki", Params = new { n = i } }, cancellationToken);
        }
    }

    public long Finished(string type) =>
        Server.Dispatcher.GetStats().Where(s => s.Type == type).Sum(s => s.Succeeded + s.DeadLettered);

    public Task<IReadOnlyList<Alert>> AlertsAsync(CancellationToken cancellationToken) => WatcherAlerts.GetAsync(Http, cancellationToken);

    public static bool Has(IEnumerable<Alert> alerts, string name, string jobType, AlertState state) =>
        alerts.Any(a => a.Name == name && a.State == state && a.Labels.TryGetValue("job_type", out var t) && t == jobType);

    /// <summary>Whether a posted <c>{"alerts":[...]}</c> body holds the named alert of the type in the state.</summary>
    public static bool Holds(JsonElement body, string name, string jobType, AlertState state) =>
        Has(body.Deserialize<AlertList>()!.Alerts, name, jobType, state);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
    }
}
