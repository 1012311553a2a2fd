using Courier.State;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Redis.Tests;

/// <summary><c>UseRedisState</c> wins over the embedded store <c>UseSqlite</c> registers, whichever is called first.</summary>
public sealed class RedisCourierBuilderTests(RedisServerFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseRedisState_WithUseSqlite_InEitherOrder_RegistersTheRedisStore(bool redisFirst)
    {
        using var directory = new TempDirectory("redis-builder");
        var prefix = "builder" + Guid.NewGuid().ToString("N")[..12] + ":";
        var services = new ServiceCollection();
        var courier = services.AddCourier();
        void Redis() => courier.UseRedisState(o =>
        {
            o.Configuration = fixture.Server.Configuration;
            o.Prefix = prefix;
        });
        if (redisFirst)
        {
            Redis();
        }
        courier.UseSqlite(directory.File("log.db"));
        if (!redisFirst)
        {
            Redis();
        }
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<RedisJobStateStore>(Assert.Single(provider.GetServices<IJobStateStore>()));
        Assert.True(await store.TryAddAsync("claim", "v", TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        await using var reader = fixture.OpenStore(prefix);
        Assert.Equal("v", await reader.GetAsync("claim", TestContext.Current.CancellationToken));
        Assert.False(File.Exists(directory.File("log.state.db")));
    }
}
