using System.Net;
using Courier.Runner.Tests.Support;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary><c>/health/live</c> and <c>/health/ready</c> of <see cref="CourierRunnerEndpointRouteBuilderExtensions.MapCourierRunnerHealth"/>.</summary>
public sealed class RunnerHealthTests
{
    [Fact]
    public async Task Health_IsLiveAndReady_WithHandlers()
    {
        await using var runner = await TestRunner.StartAsync();

        using var live = await runner.Client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await runner.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Health_IsLiveButNotReady_WithoutHandlers()
    {
        await using var runner = await TestRunner.StartAsync(handlers: false);

        using var live = await runner.Client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await runner.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Health_IsReadyButDegraded_WhileReadOnly()
    {
        await using var runner = await TestRunner.StartAsync(o => o.ReadOnly = () => true);

        using var ready = await runner.Client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
