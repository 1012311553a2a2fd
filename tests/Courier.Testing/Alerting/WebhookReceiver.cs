using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Testing.Alerting;

/// <summary>
/// An Alertmanager webhook receiver: Kestrel on 127.0.0.1 at a free port keeping every notification (webhook payload
/// version 4) it is sent, in arrival order. Tests wait for a notification by what it says; each arrival wakes the
/// waiters, nothing polls.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly List<WebhookNotification> _received = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _arrived = NewSignal();
    private LoopbackApp? _app;

    private WebhookReceiver()
    {
    }

    /// <summary>Where Alertmanager posts: <c>http://127.0.0.1:port/alerts</c>.</summary>
    public Uri Url => new(_app!.BaseUrl, "/alerts");

    /// <summary>Every notification received so far, oldest first.</summary>
    public IReadOnlyList<WebhookNotification> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var receiver = new WebhookReceiver();
        receiver._app = await LoopbackApp.StartAsync(app => app.MapPost("/alerts", receiver.ReceiveAsync), cancellationToken: cancellationToken);
        return receiver;
    }

    /// <summary>
    /// The first alert of a notification received after the first <paramref name="skip"/> notifications that
    /// <paramref name="match"/> accepts; waits for it (failing the test, with what was received, if none comes within
    /// <see cref="Eventually.DefaultBound"/>, or <paramref name="bound"/>); <paramref name="state"/> adds what else the
    /// failure message should show (e.g. the alerts Prometheus holds).
    /// </summary>
    public async Task<WebhookAlert> WaitForAsync(int skip, Func<WebhookAlert, bool> match, string what, TimeSpan? bound = null,
        Func<Task<string>>? state = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var limit = bound ?? Eventually.DefaultBound;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                if (_received.Skip(skip).SelectMany(n => n.Alerts).FirstOrDefault(match) is { } found)
                {
                    return found;
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                var more = state is null ? "" : "; " + await state();
                Assert.Fail($"gave up after {limit.TotalSeconds:0} s waiting until the webhook received {what}; received: {Describe(skip)}{more}");
            }
        }
    }

    /// <summary>The notifications after the first <paramref name="skip"/>, one line each, for failure messages.</summary>
    public string Describe(int skip = 0) =>
        string.Join("; ", Received.Skip(skip).Select(n => $"{n.Status} [{string.Join(", ", n.Alerts.Select(a => a.ToString()))}]")) is { Length: > 0 } text ? text : "nothing";

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var payload = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        var notification = WebhookNotification.Parse(payload.RootElement);
        TaskCompletionSource arrived;
        lock (_lock)
        {
            _received.Add(notification);
            arrived = _arrived;
            _arrived = NewSignal();
        }
        arrived.SetResult();
        return Results.Ok();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
