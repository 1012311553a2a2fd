using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Hosting;

public sealed class DemoJobsThroughServerTests
{
    [Fact]
    public async Task MassMessage_EnqueuedWithTypedParams_IsDeliveredByTheServer()
    {
        using var dir = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(ct);

        // Typed params, as an application (or the end-to-end tests) would pass them to the client.
        var job = await server.Client.EnqueueAsync(new JobRequest
        {
            Type = DemoJobTypes.MassMessage,
            Database = "metawiki",
            Params = new MassMessageParams
            {
                Title = new PageTitle(3, "Elitre"),
                Recipient = "Elitre",
                Subject = "Tech News",
                Message = "Hello",
                Sender = "MediaWiki message delivery",
                Simulate = new DemoSimulation { WorkMilliseconds = 1 },
            },
        }, ct);
        await Eventually.TrueAsync(() => Task.FromResult(
            server.Dispatcher.GetStats().Single(s => s.Type == DemoJobTypes.MassMessage) is { Succeeded: > 0 } or { DeadLettered: > 0 }),
            TimeSpan.FromSeconds(20));
        await server.StopAsync(ct);

        var stats = server.Dispatcher.GetStats().Single(s => s.Type == DemoJobTypes.MassMessage);
        var deadLetters = await new DeadLetterStore(server.Log, server.CourierOptions).ListAsync(null, ct);
        Assert.True(stats.Succeeded == 1, "dead-lettered: " + string.Join("; ", deadLetters.Select(d => d.DeadLetter.Message)));
        var inbox = await ((DemoInbox)server.Services.GetService(typeof(DemoInbox))!).ReadAllAsync(ct);
        Assert.Equal(job.Id, Assert.Single(inbox).JobId);
    }
}
