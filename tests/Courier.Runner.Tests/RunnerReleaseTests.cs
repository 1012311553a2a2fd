using System.Text;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>A runner names its release (<see cref="CourierOptions.Release"/>) in <c>Courier-Release</c> on every answer.</summary>
public sealed class RunnerReleaseTests
{
    private const string Release = "runner-2026.12.05";

    [Fact]
    public async Task EveryAnswer_AndTheHealthAnswers_CarryTheRunnersRelease()
    {
        await using var runner = await TestRunner.StartAsync(configureCourier: c => c.Services.Configure<CourierOptions>(o => o.Release = Release));
        var ct = TestContext.Current.CancellationToken;

        using var ok = await runner.PostAsync(TestJobs.Event("ok"));
        using var undecodable = await runner.PostAsync(Encoding.UTF8.GetBytes("not json"));
        using var wrongMethod = await runner.Client.GetAsync(RunnerProtocol.DefaultPath, ct);
        using var live = await runner.Client.GetAsync("/health/live", ct);
        using var ready = await runner.Client.GetAsync("/health/ready", ct);

        foreach (var response in new[] { ok, undecodable, wrongMethod, live, ready })
        {
            Assert.Equal([Release], response.Headers.GetValues(RunnerProtocol.ReleaseHeader));
        }
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(ct));
    }
}
