using System.Text;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Demo;

public sealed class DemoHandlerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private DemoInbox _inbox = null!;

    public ValueTask InitializeAsync()
    {
        _inbox = DemoInbox.Open(_dir.File("demo.db"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _inbox.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task MassMessage_WritesOneInboxRow_WhenDelivered()
    {
        var handler = new MassMessageHandler(_inbox, TimeProvider.System);
        var job = DemoJobs.Job(DemoJobTypes.MassMessage, DemoJobs.Message(new PageTitle(3, "Elitre")), id: "job-1");

        var result = await DemoJobs.RunAsync(handler, job);

        Assert.True(result.IsSuccess);
        var row = Assert.Single(await _inbox.ReadAllAsync(TestContext.Current.CancellationToken));
        Assert.Equal(new InboxMessage("job-1", "Example", "User_talk:Elitre", "Tech News", "Hello"), row);
    }

    [Fact]
    public async Task MassMessage_IsADecodeFailure_AndDeliversNothing_WhenTitleIsSpecial()
    {
        // The 2019 incident's title: namespace −1 with an empty key, printed as "Special:".
        var handler = new MassMessageHandler(_inbox, TimeProvider.System);
        var job = DemoJobs.Job(DemoJobTypes.MassMessage, DemoJobs.Message(new PageTitle(-1, "")));

        var result = await DemoJobs.RunAsync(handler, job);

        Assert.Equal(FailureClass.Decode, result.Failure);
        Assert.Equal("Title Special: is invalid", result.Message);
        Assert.Equal(0, await _inbox.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MassMessage_FailsTransientlyOnTheFirstAttempts_ThenDelivers()
    {
        var handler = new MassMessageHandler(_inbox, TimeProvider.System);
        var job = DemoJobs.Job(DemoJobTypes.MassMessage, DemoJobs.Message(simulate: new DemoSimulation { FailAttempts = 2 }));

        var first = await DemoJobs.RunAsync(handler, job, attempt: 1);
        var second = await DemoJobs.RunAsync(handler, job, attempt: 2);
        var third = await DemoJobs.RunAsync(handler, job, attempt: 3);

        Assert.Equal(FailureClass.Retryable, first.Failure);
        Assert.Equal(FailureClass.Retryable, second.Failure);
        Assert.True(third.IsSuccess);
        Assert.Equal(1, await _inbox.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Handlers_FailPermanently_WithTheGivenReason()
    {
        var simulate = new DemoSimulation { Permanent = "page was deleted" };

        var mass = await DemoJobs.RunAsync(new MassMessageHandler(_inbox, TimeProvider.System),
            DemoJobs.Job(DemoJobTypes.MassMessage, DemoJobs.Message(simulate: simulate)));
        var purge = await DemoJobs.RunAsync(new HtmlCacheUpdateHandler(TimeProvider.System),
            DemoJobs.Job(DemoJobTypes.HtmlCacheUpdate, new HtmlCacheUpdateParams { Table = "templatelinks", Title = new PageTitle(10, "Infobox"), Simulate = simulate }));
        var refresh = await DemoJobs.RunAsync(new RefreshLinksHandler(TimeProvider.System),
            DemoJobs.Job(DemoJobTypes.RefreshLinks, new RefreshLinksParams { Title = new PageTitle(0, "Main_Page"), Simulate = simulate }));

        foreach (var result in new[] { mass, purge, refresh })
        {
            Assert.Equal(FailureClass.Permanent, result.Failure);
            Assert.Equal("page was deleted", result.Message);
        }
        Assert.Equal(0, await _inbox.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HtmlCacheUpdateAndRefreshLinks_Succeed_WithoutInjectedFailures()
    {
        var noWait = new DemoSimulation { WorkMilliseconds = 0 };

        var purge = await DemoJobs.RunAsync(new HtmlCacheUpdateHandler(TimeProvider.System),
            DemoJobs.Job(DemoJobTypes.HtmlCacheUpdate, new HtmlCacheUpdateParams { Table = "imagelinks", Title = new PageTitle(6, "Logo.png"), Simulate = noWait }));
        var refresh = await DemoJobs.RunAsync(new RefreshLinksHandler(TimeProvider.System),
            DemoJobs.Job(DemoJobTypes.RefreshLinks, new RefreshLinksParams { Title = new PageTitle(0, "Main_Page"), RevisionId = 42 }));

        Assert.True(purge.IsSuccess);
        Assert.True(refresh.IsSuccess);
    }

    [Fact]
    public async Task Executor_BindsSnakeCaseSimulation_FromEventParams()
    {
        // The params as the CLI or MediaWiki would write them, through the registry the dispatcher uses.
        var registry = new JobHandlerRegistry(new CourierOptions())
            .Add(DemoJobTypes.MassMessage, new MassMessageHandler(_inbox, TimeProvider.System));
        var executor = new InProcessExecutor(registry);
        var json = """
            {"title":{"namespace":3,"dbkey":"Elitre"},"recipient":"Elitre","subject":"s","message":"m",
             "sender":"x","simulate":{"fail_attempts":1,"work_ms":0}}
            """;
        var raw = Encoding.UTF8.GetBytes(json);
        var execution = new JobExecution
        {
            Event = new JobEvent
            {
                Meta = new JobMeta { Id = "job-2", Dt = DateTimeOffset.UnixEpoch },
                Database = "metawiki",
                Type = DemoJobTypes.MassMessage,
                Params = System.Text.Json.JsonDocument.Parse(raw).RootElement.Clone(),
            },
            RawEvent = raw,
            Context = DemoJobs.Context(attempt: 1),
        };

        var first = await executor.ExecuteAsync(execution, TestContext.Current.CancellationToken);
        var retry = await executor.ExecuteAsync(new JobExecution { Event = execution.Event, RawEvent = raw, Context = DemoJobs.Context(attempt: 2) },
            TestContext.Current.CancellationToken);

        Assert.Equal(FailureClass.Retryable, first.Failure);
        Assert.Contains("simulated transient failure", first.Message, StringComparison.Ordinal);
        Assert.True(retry.IsSuccess);
        Assert.Equal("job-2", Assert.Single(await _inbox.ReadAllAsync(TestContext.Current.CancellationToken)).JobId);
    }

    [Fact]
    public async Task Executor_ReportsDecode_WhenDemoParamsDoNotBind()
    {
        var registry = new JobHandlerRegistry(new CourierOptions())
            .Add(DemoJobTypes.RefreshLinks, new RefreshLinksHandler(TimeProvider.System));
        var raw = Encoding.UTF8.GetBytes("""{"revisionId":1}""");
        var execution = new JobExecution
        {
            Event = new JobEvent
            {
                Meta = new JobMeta { Id = "job-3", Dt = DateTimeOffset.UnixEpoch },
                Database = "enwiki",
                Type = DemoJobTypes.RefreshLinks,
                Params = System.Text.Json.JsonDocument.Parse(raw).RootElement.Clone(),
            },
            RawEvent = raw,
            Context = DemoJobs.Context(),
        };

        var result = await new InProcessExecutor(registry).ExecuteAsync(execution, TestContext.Current.CancellationToken);

        Assert.Equal(FailureClass.Decode, result.Failure);
    }
}
