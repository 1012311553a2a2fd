using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Tests.Alerting;

/// <summary>
/// A Kestrel receiver on 127.0.0.1 that keeps every JSON body posted to it, by path: a webhook or an Alertmanager's
/// <c>/api/v2/alerts</c> as the watcher sees them. While <see cref="Refusing"/> is set it answers 503.
/// </summary>
internal sealed class AlertReceiverStandIn : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private AlertReceiverStandIn(LoopbackApp app) => _app = app;

    public ConcurrentQueue<(string Path, JsonElement Body)> Posts { get; } = new();

    public volatile bool Refusing;

    public Uri BaseUrl => _app.BaseUrl;

    public static async Task<AlertReceiverStandIn> StartAsync(CancellationToken cancellationToken)
    {
        AlertReceiverStandIn? standIn = null;
        var app = await LoopbackApp.StartAsync(a => a.MapPost("/{**path}", async (HttpContext context) =>
        {
            if (standIn!.Refusing)
            {
                return Results.StatusCode(503);
            }
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
            standIn.Posts.Enqueue((context.Request.Path.Value ?? "", body));
            return Results.Ok();
        }), cancellationToken: cancellationToken);
        standIn = new AlertReceiverStandIn(app);
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
