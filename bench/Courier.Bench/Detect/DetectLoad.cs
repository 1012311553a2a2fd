namespace Courier.Bench.Detect;

/// <summary>Steady traffic of one type: a batch every 100 ms, <c>rate ÷ 10</c> jobs each, until disposed.</summary>
internal sealed class DetectLoad : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private DetectLoad(CourierClient client, string type, int perSecond) =>
        _loop = Task.Run(() => RunAsync(client, type, Math.Max(1, perSecond / 10)));

    public static DetectLoad Start(CourierClient client, string type, int perSecond) => new(client, type, perSecond);

    private async Task RunAsync(CourierClient client, string type, int perTick)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            await client.EnqueueBatchAsync(
                [.. Enumerable.Range(0, perTick).Select(_ => new JobRequest { Type = type, Database = "metawiki", Params = new { text = "Hello" } })],
                _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        _stop.Dispose();
    }
}
