using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.EndToEnd.Runners;

/// <summary>
/// A stand-in for MediaWiki's <c>rpc/RunSingleJob.php</c> on Kestrel at 127.0.0.1 (a free port), answering the way the
/// original does (docs/original-system.md, "RunSingleJob.php"): 200 with an empty body when the job ran, 500 with an
/// empty body when it failed, 500 with <c>X-Readonly: true</c> when the wiki is read-only, 400 "Invalid event
/// received!" for an event it cannot take. Which answer a job gets is in its params
/// (<see cref="MediaWikiParams.Answer"/>); the stand-in counts the calls per job id, so "once" answers change on the
/// second call. It checks no signature, like the original.
/// </summary>
internal sealed class MediaWikiStandIn : IAsyncDisposable
{
    public const string Path = "/rpc/RunSingleJob.php";

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private LoopbackApp? _app;

    private MediaWikiStandIn()
    {
    }

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:41234/rpc/RunSingleJob.php</c>.</summary>
    public Uri Url => new(_app!.BaseUrl, Path);

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<MediaWikiRequest> Requests { get; } = new();

    public static async Task<MediaWikiStandIn> StartAsync()
    {
        var standIn = new MediaWikiStandIn();
        standIn._app = await LoopbackApp.StartAsync(app => app.MapPost(Path, standIn.HandleAsync),
            cancellationToken: TestContext.Current.CancellationToken);
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        string? jobId = null;
        string? answer = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            jobId = json.RootElement.GetProperty("meta").GetProperty("id").GetString();
            answer = json.RootElement.GetProperty("params").GetProperty("answer").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not an event this stand-in knows: answered below as the original answers an invalid event.
        }
        var call = jobId is null ? 1 : _calls.AddOrUpdate(jobId, 1, (_, n) => n + 1);
        var headers = context.Request.Headers;
        Requests.Enqueue(new MediaWikiRequest(jobId, call, context.Request.ContentType, body,
            headers.ContainsKey(RunnerProtocol.SignatureHeader), headers[RunnerProtocol.AttemptHeader].ToString()));

        var response = context.Response;
        switch (answer)
        {
            case "ok":
            case "retry-once" or "readonly-once" when call > 1:
                response.StatusCode = 200;
                break;
            case "retry-once" or "always-500":
                response.StatusCode = 500;
                break;
            case "readonly-once":
                response.StatusCode = 500;
                response.Headers[RunnerProtocol.ReadOnlyHeader] = "true";
                break;
            default:
                response.StatusCode = 400;
                response.ContentType = "text/plain";
                await response.WriteAsync("Invalid event received!", context.RequestAborted);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
