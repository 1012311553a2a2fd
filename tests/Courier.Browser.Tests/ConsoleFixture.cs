using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Microsoft.Playwright;
using Xunit;

namespace Courier.Browser.Tests;

/// <summary>
/// A real dispatcher service with the demo handlers on a free loopback port (the embedded engine, or Kafka on
/// librdkafka's mock cluster), some demo traffic run to the end (dead letters included), one dead letter of
/// <see cref="FlakyHandler"/> to replay, and a launched chromium. Shared by a test class's tests.
/// </summary>
public abstract class ConsoleFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("console");
    private KafkaDevCluster? _cluster;
    private IPlaywright? _playwright;

    /// <summary>The demo jobs enqueued.</summary>
    public const int DemoJobs = 150;

    /// <summary>The job id of the flaky job that was dead-lettered.</summary>
    public string FlakyJobId { get; } = Guid.NewGuid().ToString();

    internal FlakyHandler Flaky { get; } = new();

    internal CourierServer Server { get; private set; } = null!;

    /// <summary>A client on the server's address.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>True for Kafka, false for the embedded engine.</summary>
    protected abstract bool Kafka { get; }

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(30_000);
        _cluster = Kafka ? KafkaDevCluster.Start(brokers: 1) : null;
        Server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(_dir.Path),
            Engine = _cluster is null ? null : JobLogEngine.Kafka(_cluster.BootstrapServers),
            Demo = true,
            RequireParamsSchemas = false, // the flaky type has no schema
            MetricsPort = 0,
            ConfigureLogging = _ => { },
            // The default rule (deduplication on) but no breaker: its one job fails on purpose.
            ConfigureCourier = c => c.AddHandler(FlakyHandler.Type, Flaky)
                .ConfigureDispatcher(o => o.Rules.Add(new JobRule { Type = FlakyHandler.Type, Breaker = BreakerPolicy.Off })),
        });
        await Server.StartAsync(TestContext.Current.CancellationToken);
        Http = new HttpClient { BaseAddress = Server.BaseUrl };

        var workload = DemoWorkload.Create(DemoJobs, maxWorkMilliseconds: 5, paramsOptions: Server.CourierOptions.ParamsSerializerOptions);
        await workload.EnqueueAsync(Server.Client, cancellationToken: TestContext.Current.CancellationToken);
        await Server.Client.EnqueueAsync(new JobRequest { Type = FlakyHandler.Type, Database = "testwiki", Id = FlakyJobId, Params = new { page = "Flaky_page" } },
            TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => Server.Dispatcher.GetStats().Sum(s => s.Started) >= workload.Requests.Count + 1
            && Server.Dispatcher.GetStats().All(s => s.Pending == 0)
            && Server.Dispatcher.GetStats().Any(s => s.Type == FlakyHandler.Type && s.DeadLettered == 1), "the demo traffic and the flaky job ended",
            state: () => string.Join("; ", Server.Dispatcher.GetStats().Select(s => $"{s.Type} started {s.Started} pending {s.Pending}")));

        (_playwright, var browser) = await Chromium.LaunchAsync();
        Browser = browser;
    }

    /// <summary>A new page at 1280×800 on the server.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl!.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Http?.Dispose();
        if (Server is not null)
        {
            await Server.StopAsync(CancellationToken.None);
            await Server.DisposeAsync();
        }
        _cluster?.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The console on the embedded engine.</summary>
public sealed class SqliteConsole : ConsoleFixture
{
    /// <inheritdoc/>
    protected override bool Kafka => false;
}

/// <summary>The console on Kafka (librdkafka's mock cluster).</summary>
public sealed class KafkaConsole : ConsoleFixture
{
    /// <inheritdoc/>
    protected override bool Kafka => true;
}
