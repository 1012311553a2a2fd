using Courier;
using Courier.Redis;
using Courier.State;
using Courier.TestDispatcher;
using Courier.TestPrograms;
using Microsoft.Extensions.Logging;

// A dispatcher process for Courier.EndToEnd's Kafka tests: one Dispatcher on a KafkaJobLog with the in-process
// executor and InboxHandler, until stdin closes (graceful stop) or the process is killed; with --redis, its state
// store (deduplication, claims, cancellations) is a RedisJobStateStore shared by every member given the same prefix.
if (!FlagArguments.TryParse(() => HostArguments.Parse(args), out var arguments))
{
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Information)
    .AddStderrConsole());
var logger = loggerFactory.CreateLogger("Courier.TestDispatcher");
var time = TimeProvider.System;

var courierOptions = new CourierOptions();
var dispatcherOptions = new DispatcherOptions
{
    GroupId = arguments.GroupId,
    CommitInterval = TimeSpan.FromMilliseconds(arguments.CommitMilliseconds),
    LagRefreshInterval = TimeSpan.FromSeconds(1),
    // One short tier: a retried test job is due again after a second, and only one retry topic exists.
    RetryTiers = [TimeSpan.FromSeconds(1)],
    Rules =
    {
        new JobRule
        {
            Type = arguments.JobType,
            Concurrency = arguments.Concurrency,
            Retry = new RetryPolicy { Limit = 3, Delay = TimeSpan.FromSeconds(1), Factor = 1 },
        },
    },
};

using var metrics = new MetricsPrinter();
using var telemetry = new CourierTelemetry();
var logOptions = new KafkaJobLogOptions
{
    BootstrapServers = arguments.BootstrapServers,
    LoggerFactory = loggerFactory,
    RequestTimeout = TimeSpan.FromSeconds(15),
};
logOptions.ApplySettings(new KafkaClientSettings
{
    Consumer = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = arguments.SessionTimeoutMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["heartbeat.interval.ms"] = arguments.HeartbeatMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The retry topic is created by whichever member first writes a retry; the others see it within this time.
        ["topic.metadata.refresh.interval.ms"] = "1000",
    },
});
await using var log = new KafkaJobLog(logOptions);
// Disposed after the dispatcher (which does not own it).
await using IJobStateStore? stateStore = arguments.RedisConfiguration is { } redis
    ? RedisJobStateStore.Connect(new RedisJobStateStoreOptions
    {
        Configuration = redis,
        Prefix = arguments.RedisPrefix ?? RedisJobStateStoreOptions.DefaultPrefix,
    })
    : null;
await using var inbox = DeliveryInbox.Open(arguments.InboxPath, arguments.Member, time);
var registry = new JobHandlerRegistry(courierOptions).Add(arguments.JobType, new InboxHandler(inbox, time));
await using var dispatcher = new Dispatcher(log, new InProcessExecutor(registry), dispatcherOptions, courierOptions, telemetry,
    loggerFactory.CreateLogger<Dispatcher>(), time, stateStore);

// The parent stops this process by closing its stdin (or kills it).
using var stop = ProgramConsole.StopOnStdinClose();
await dispatcher.StartAsync(stop.Token);
ProgramConsole.Say($"ready {arguments.Member} pid {Environment.ProcessId}");

using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(arguments.MetricsMilliseconds), time))
{
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            metrics.Print(Console.Out);
        }
    }
    catch (OperationCanceledException)
    {
        // stopping
    }
}

logger.LogInformation("Stopping {Member}", arguments.Member);
await dispatcher.StopAsync(CancellationToken.None);
metrics.Print(Console.Out);
Console.Out.WriteLine($"stopped {arguments.Member}");
return 0;
