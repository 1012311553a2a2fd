using System.Text.Json;
using Courier.Server.Demo;

namespace Courier.Server.Tests.Support;

/// <summary>Builds demo jobs and contexts for handler tests.</summary>
internal static class DemoJobs
{
    public static readonly JsonSerializerOptions ParamsOptions = new CourierOptions().ParamsSerializerOptions;

    public static Job<T> Job<T>(string type, T parameters, string? id = null)
    {
        var @event = new JobEvent
        {
            Meta = new JobMeta { Id = id ?? Guid.NewGuid().ToString(), Dt = DateTimeOffset.UnixEpoch },
            Database = "testwiki",
            Type = type,
            Params = JsonSerializer.SerializeToElement(parameters, ParamsOptions),
        };
        return new Job<T>(@event, parameters);
    }

    public static JobContext Context(int attempt = 1) => new()
    {
        Attempt = attempt,
        Topic = "mediawiki.job.test",
        Source = new TopicPartitionOffset("mediawiki.job.test", 0, 0),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static MassMessageParams Message(PageTitle? title = null, DemoSimulation? simulate = null) => new()
    {
        Title = title ?? new PageTitle(3, "Example"),
        Recipient = "Example",
        Subject = "Tech News",
        Message = "Hello",
        Sender = "MediaWiki message delivery",
        Simulate = simulate,
    };

    /// <summary>Runs a handler and maps a thrown exception as the in-process executor does.</summary>
    public static async Task<JobResult> RunAsync<T>(IJobHandler<T> handler, Job<T> job, int attempt = 1)
    {
        try
        {
            return await handler.HandleAsync(job, Context(attempt), CancellationToken.None);
        }
        catch (TimeoutException e)
        {
            return JobResult.FromException(e);
        }
    }
}
