using System.Diagnostics;
using System.Text.Json;
using Courier.Server.Alerting;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Bench.Detect;

/// <summary>
/// A webhook of the built-in watcher (<c>alerting.webhooks</c>) on 127.0.0.1: records when the first delivery listing
/// the wanted alert firing for the wanted type arrived.
/// </summary>
internal sealed class WatcherWebhook : IAsyncDisposable
{
    private readonly TaskCompletionSource<long> _firing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<Alert, bool> _wanted;
    private LoopbackApp? _app;

    private WatcherWebhook(Func<Alert, bool> wanted) => _wanted = wanted;

    /// <summary>Where the watcher posts.</summary>
    public Uri Url => new(_app!.BaseUrl, "/watcher");

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the first delivery holding a wanted alert, firing.</summary>
    public Task<long> Firing => _firing.Task;

    public static async Task<WatcherWebhook> StartAsync(Func<Alert, bool> wanted, CancellationToken cancellationToken)
    {
        var hook = new WatcherWebhook(wanted);
        hook._app = await LoopbackApp.StartAsync(app => app.MapPost("/watcher", hook.ReceiveAsync), cancellationToken: cancellationToken);
        return hook;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        var arrived = Stopwatch.GetTimestamp();
        var body = await JsonSerializer.DeserializeAsync<AlertList>(request.Body, JsonSerializerOptions.Web, cancellationToken: request.HttpContext.RequestAborted);
        if (body is not null && body.Alerts.Any(a => a.State == AlertState.Firing && _wanted(a)))
        {
            _firing.TrySetResult(arrived);
        }
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
