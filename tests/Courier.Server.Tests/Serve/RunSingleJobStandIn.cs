using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Server.Tests.Serve;

/// <summary>
/// A stand-in for MediaWiki's <c>rpc/RunSingleJob.php</c> on 127.0.0.1 (a free port): records every request (body as
/// received, <c>Courier-Attempt</c>, arrival time) and answers 200 with an empty body — except the first request for a
/// job of <see cref="ReadOnlyType"/>, answered as a read-only wiki does: 500 with <c>X-Readonly: true</c>.
/// </summary>
internal sealed class RunSingleJobStandIn : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private RunSingleJobStandIn(LoopbackApp app, ConcurrentQueue<Request> requests)
    {
        _app = app;
        Requests = requests;
    }

    /// <summary>The job type whose first request is answered read-only.</summary>
    public const string ReadOnlyType = "ORESFetchScoreJob";

    /// <summary>The URL to configure as the pool's (used as it is in mediawiki mode).</summary>
    public Uri Url => new(_app.BaseUrl, "/rpc/RunSingleJob.php");

    public ConcurrentQueue<Request> Requests { get; }

    public static async Task<RunSingleJobStandIn> StartAsync()
    {
        var requests = new ConcurrentQueue<Request>();
        var readOnlyAnswered = 0;
        var app = await LoopbackApp.StartAsync(app => app.MapPost("/rpc/RunSingleJob.php", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var bytes = body.ToArray();
            var readOnly = TypeOf(bytes) == ReadOnlyType && Interlocked.Exchange(ref readOnlyAnswered, 1) == 0;
            requests.Enqueue(new Request(bytes, context.Request.Headers[RunnerProtocol.AttemptHeader].ToString(), DateTimeOffset.UtcNow, readOnly));
            if (readOnly)
            {
                context.Response.StatusCode = 500;
                context.Response.Headers[RunnerProtocol.ReadOnlyHeader] = "true";
                context.Response.Headers.RetryAfter = "1";
            }
        }), cancellationToken: TestContext.Current.CancellationToken);
        return new RunSingleJobStandIn(app, requests);
    }

    private static string? TypeOf(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>One request as received: the body, its <c>Courier-Attempt</c>, when it arrived, and whether it was answered read-only.</summary>
    internal sealed record Request(byte[] Body, string Attempt, DateTimeOffset ArrivedAt, bool AnsweredReadOnly);
}
