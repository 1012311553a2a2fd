using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Types;

/// <summary>
/// Takes <see cref="TypeHistory"/>'s samples on its clock (a <see cref="TimeProvider"/> timer, every
/// <see cref="TypeHistory.Interval"/> from the start): the dispatcher's counts and the lag per type. A sample whose lag
/// cannot be read keeps the previous lag and is logged; a tick that comes while the previous sample still runs is skipped.
/// </summary>
internal sealed partial class TypeHistorySampler(
    TypeHistory history,
    Func<IReadOnlyList<JobTypeStats>> stats,
    Func<CancellationToken, Task<IReadOnlyDictionary<string, long>>> lag,
    TimeProvider time,
    ILogger<TypeHistorySampler> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private int _sampling;

    /// <summary>Completes when the sample under way (if any) has been recorded; for tests.</summary>
    internal Task LastSample { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Tick(), null, history.Interval, history.Interval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
        await _stopping.CancelAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private void Tick()
    {
        if (Interlocked.Exchange(ref _sampling, 1) != 0)
        {
            return;
        }
        LastSample = SampleAsync();
    }

    private async Task SampleAsync()
    {
        try
        {
            var counts = stats();
            IReadOnlyDictionary<string, long>? lags = null;
            try
            {
                lags = await lag(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Lag is observability: the sample keeps the previous lag and the next one tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LagUnread(logger, e);
            }
            history.Record(counts, lags);
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }

    [LoggerMessage(EventId = 5801, Level = LogLevel.Warning, Message = "type history: the lag could not be read for this sample; the previous lag is kept")]
    private static partial void LagUnread(ILogger logger, Exception exception);
}
