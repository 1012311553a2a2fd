using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Tests.Telemetry;

/// <summary><c>courier.jobs.paused</c>: one series per type the dispatcher knows, 1 while paused and 0 while it runs.</summary>
public sealed class PausedGaugeTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("paused-gauge");
    private readonly SqliteJobLog _log;
    private readonly CourierOptions _options = new();

    public PausedGaugeTests() => _log = SqliteJobLog.Open(_directory.File("log.db"));

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task PausedGauge_IsOneForAPausedType_AndZeroForTheOthers_UntilResumed()
    {
        using var meters = new LabelCounter("courier.jobs.paused", "job.type");
        using var telemetry = new CourierTelemetry(meters);
        await using var dispatcher = new Dispatcher(_log, new InProcessExecutor(new JobHandlerRegistry(_options)),
            new DispatcherOptions { Rules = { new JobRule { Type = "alpha" }, new JobRule { Type = "beta" } } }, _options, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System);

        dispatcher.Pause("alpha", "gauge test");
        meters.Observe();
        Assert.Equal(new Dictionary<string, long> { ["alpha"] = 1, ["beta"] = 0 }, meters.Sums);

        dispatcher.Resume("alpha");
        meters.Observe();
        // The counter adds the readings up: alpha read 1 then 0, beta 0 twice.
        Assert.Equal(new Dictionary<string, long> { ["alpha"] = 1, ["beta"] = 0 }, meters.Sums);
    }
}
