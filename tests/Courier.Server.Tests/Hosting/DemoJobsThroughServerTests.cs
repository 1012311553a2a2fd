using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
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
        await OneMassMessage.SucceedsAsync(server, ct);
        var inbox = await ((DemoInbox)server.Services.GetService(typeof(DemoInbox))!).ReadAllAsync(ct);
        Assert.Equal(job.Id, Assert.Single(inbox).JobId);
    }
}
