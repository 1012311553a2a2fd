using Courier.Sqlite.State;
using Courier.State;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Tests.Telemetry;

/// <summary>What the dispatcher reports of its state store: the keys the store dropped to stay within its bound.</summary>
public sealed class StateStoreMetricsTests : IAsyncDisposable
{
    /// <summary>Writes between two sweeps of the embedded store (when it trims to its bound).</summary>
    private const int SweepEvery = 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory _directory = new("state-metrics");
    private readonly SqliteJobLog _log;

    public StateStoreMetricsTests() => _log = SqliteJobLog.Open(_directory.File("log.db"));

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task DroppedKeys_OfTheEmbeddedStorePastItsBound_AreCountedByStore()
    {
        await using var store = SqliteJobStateStore.Open(_directory.File("state.db"), new SqliteJobStateStoreOptions { MaxEntries = 100 });
        using var meters = new LabelCounter("courier.state.dropped_keys", "store");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry, store);
        meters.Observe();
        Assert.Equal(0, meters.Sums["embedded"]);

        // Remembered outcomes live a day: past the bound the oldest of them are dropped at the next sweep.
        for (var i = 0; i < SweepEvery; i++)
        {
            await store.SetAsync($"done:{i}", "succeeded", TimeSpan.FromDays(1), Ct);
        }
        meters.Observe(); // the sums add observations up: 0, then the store's count
        Assert.Equal(SweepEvery - 100, store.DroppedKeys);
        Assert.Equal(SweepEvery - 100, meters.Sums["embedded"]);
    }

    [Fact]
    public async Task DroppedKeys_AreNotReported_WithoutAStateStore()
    {
        using var meters = new LabelCounter("courier.state.dropped_keys", "store");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = NewDispatcher(telemetry, store: null);
        meters.Observe();
        Assert.Empty(meters.Sums);
    }

    private Dispatcher NewDispatcher(CourierTelemetry telemetry, IJobStateStore? store) =>
        new(_log, new InProcessExecutor(new JobHandlerRegistry(new CourierOptions())), new DispatcherOptions { Rules = { new JobRule { Type = "alpha" } } },
            new CourierOptions(), telemetry, NullLogger<Dispatcher>.Instance, TimeProvider.System, store);
}
