using System.Globalization;
using StackExchange.Redis;

namespace Courier.Bench.Dedup;

/// <summary>
/// The CPU time redis-server has used (<c>INFO cpu</c>: <c>used_cpu_user</c> + <c>used_cpu_sys</c>), read over a
/// connection of its own: the store's share of a Redis drain's CPU, which the bench process's figures leave out.
/// </summary>
internal sealed class RedisCpu(string configuration) : IDisposable
{
    private readonly ConnectionMultiplexer _connection = ConnectionMultiplexer.Connect(configuration + ",allowAdmin=true");

    /// <summary>Seconds of CPU the server has used since it started.</summary>
    public async Task<double> SecondsAsync()
    {
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var cpu = (await server.InfoAsync("cpu")).SelectMany(group => group)
            .Where(kv => kv.Key is "used_cpu_user" or "used_cpu_sys")
            .Sum(kv => double.Parse(kv.Value, CultureInfo.InvariantCulture));
        return cpu;
    }

    public void Dispose() => _connection.Dispose();
}
