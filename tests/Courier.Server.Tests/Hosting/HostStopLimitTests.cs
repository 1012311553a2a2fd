using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Courier.Server.Tests.Hosting;

/// <summary>
/// The host waits for the dispatcher's whole stop: ASP.NET Core's 30 s default stop limit had cut a longer drain short,
/// and `courier serve` exited "interrupted" (130) in the middle of it.
/// </summary>
public sealed class HostStopLimitTests
{
    [Theory]
    [InlineData(null, 40)] // the default 30 s drain and 10 s for the final commit
    [InlineData("60s", 70)]
    public async Task Server_HostStopLimit_CoversTheDrainAndTheFinalCommit(string? drain, int expectedSeconds)
    {
        using var dir = new TempDirectory();
        var configFile = Path.Combine(dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(configFile, drain is null ? "{}\n" : $"dispatcher:\n  shutdown_drain_timeout: {drain}\n",
            TestContext.Current.CancellationToken);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Config = CourierConfigFile.Load(configFile),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });

        var host = server.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(server.DispatcherOptions.StopTimeout, host.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), host.ShutdownTimeout);
    }
}
