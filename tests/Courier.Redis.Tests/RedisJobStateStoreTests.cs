using Courier.State;
using Courier.Testing.State;
using Xunit;

[assembly: AssemblyFixture(typeof(Courier.Testing.RedisServerFixture))]

namespace Courier.Redis.Tests;

/// <summary>The state store contract on Redis: every client a connection of its own to one server, under one prefix per test.</summary>
public sealed class RedisJobStateStoreTests(RedisServerFixture fixture) : JobStateStoreContractTests
{
    private readonly string _prefix = "test" + Guid.NewGuid().ToString("N")[..12] + ":";

    protected override Task<IJobStateStore> OpenStoreAsync() => Task.FromResult<IJobStateStore>(fixture.OpenStore(_prefix));

    [Fact]
    public async Task Prefix_KeysOfOnePrefixAreNotSeenUnderAnother()
    {
        await using var other = fixture.OpenStore("other" + _prefix);
        await Store.SetAsync(Key("shared"), "mine", Lasting, TestContext.Current.CancellationToken);

        Assert.Null(await other.GetAsync(Key("shared"), TestContext.Current.CancellationToken));
        Assert.True(await other.TryAddAsync(Key("shared"), "theirs", Lasting, TestContext.Current.CancellationToken));
        Assert.Equal("mine", await Store.GetAsync(Key("shared"), TestContext.Current.CancellationToken));
    }
}
