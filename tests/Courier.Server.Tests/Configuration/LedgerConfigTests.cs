using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>
/// <c>dispatcher.ledger</c>: the outcome ledger is on in the service (<c>courier up</c>, <c>courier serve</c>) unless the
/// file turns it off, and off in the library unless asked for.
/// </summary>
public sealed class LedgerConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("ledger-config");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("dispatcher:\n  ledger: true\n", true)]
    [InlineData("dispatcher:\n  ledger: false\n", false)]
    [InlineData("dispatcher:\n  group_id: g\n", false)]
    public void ApplyTo_SetsOutcomeLedger_OnlyWhenTheFileSaysSo(string yaml, bool expected)
    {
        Assert.Equal(expected, TestConfig.Dispatcher(_directory.Path, yaml).OutcomeLedger);
    }

    [Fact]
    public void Load_RefusesANonBoolean_NamingTheKey()
    {
        var e = Assert.Throws<CourierConfigException>(() => TestConfig.Load(_directory.Path, "dispatcher:\n  ledger: sometimes\n"));
        Assert.Contains("dispatcher.ledger: must be true or false", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("dispatcher:\n  ledger: false\n", false)]
    public async Task Server_WritesTheLedger_UnlessTheFileSaysFalse_AndCreatesItsTopicAtStart(string? yaml, bool expected)
    {
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(_directory.Path),
            Config = yaml is null ? null : TestConfig.Load(_directory.Path, yaml),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(Ct);

        Assert.Equal(expected, server.DispatcherOptions.OutcomeLedger);
        var topics = await server.Services.GetRequiredService<IJobLog>().ListTopicsAsync(Ct);
        Assert.Equal(expected, topics.Any(t => t.Name == new TopicNames().OutcomeLedgerTopic));
        await server.StopAsync(Ct);
    }
}
