using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Courier.Tests.Runners;

/// <summary>
/// A runner stand-in on Kestrel at 127.0.0.1 (a free port): records every request it gets (path, protocol headers,
/// body, connection, whether the signature verifies) and answers as the test's <c>respond</c> delegate says.
/// </summary>
internal sealed class StandInRunner : IAsyncDisposable
{
    public static readonly RunnerKey Key = new("test-key", "stand-in-secret-0123456789abcdef");

    private readonly LoopbackApp _app;

    private StandInRunner(LoopbackApp app, ConcurrentQueue<ReceivedRequest> requests)
    {
        _app = app;
        Requests = requests;
    }

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseUrl => _app.BaseUrl;

    public ConcurrentQueue<ReceivedRequest> Requests { get; }

    public IReadOnlyCollection<string> ConnectionIds => Requests.Select(r => r.ConnectionId).Distinct().ToList();

    /// <summary>Requests for one job id, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> For(string jobId) => Requests.Where(r => r.JobId == jobId).ToList();

    /// <summary>
    /// Starts a stand-in; <paramref name="respond"/> writes the answer (nothing written: 200 with an empty body).
    /// Every response carries <c>Courier-Execution-Limit-Ms</c> of <paramref name="executionLimit"/> unless it is null.
    /// With a <paramref name="certificate"/> it listens over HTTPS only.
    /// </summary>
    public static async Task<StandInRunner> StartAsync(Func<ReceivedRequest, HttpContext, Task>? respond = null,
        TimeSpan? executionLimit = null, X509Certificate2? certificate = null)
    {
        var requests = new ConcurrentQueue<ReceivedRequest>();
        var app = await LoopbackApp.StartAsync(app => app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = ReceivedRequest.From(context, body.ToArray());
            requests.Enqueue(request);
            if (executionLimit is { } limit)
            {
                context.Response.Headers[RunnerProtocol.ExecutionLimitHeader] =
                    ((long)limit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            }
            if (respond is not null)
            {
                await respond(request, context);
            }
        }), certificate: certificate, cancellationToken: TestContext.Current.CancellationToken);
        return new StandInRunner(app, requests);
    }

    /// <summary>Writes a protocol v1 error answer: status, JSON reason, optional Retry-After.</summary>
    public static Task Answer(HttpContext context, int status, string? errorClass, string message, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        if (errorClass is null)
        {
            return Task.CompletedTask;
        }
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["status"] = status,
            ["error_class"] = errorClass,
            ["message"] = message,
        }));
    }

    /// <summary>A URL on 127.0.0.1 where nothing listens, so connecting is refused.</summary>
    public static Uri RefusingUrl() => LoopbackApp.RefusingUrl();

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>What the stand-in saw of one request.</summary>
internal sealed record ReceivedRequest(
    string Path,
    string ConnectionId,
    string? ContentType,
    byte[] Body,
    string? JobId,
    string? JobName,
    int? Attempt,
    long? TimeoutMs,
    string? KeyId,
    string? Timestamp,
    string? Signature,
    bool SignatureValid)
{
    public static ReceivedRequest From(HttpContext context, byte[] body)
    {
        var headers = context.Request.Headers;
        string? Header(string name) => headers.TryGetValue(name, out var v) ? v.ToString() : null;
        string? jobId = null, name = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            jobId = json.RootElement.GetProperty("meta").GetProperty("id").GetString();
            name = json.RootElement.TryGetProperty("params", out var p) && p.TryGetProperty("name", out var n) ? n.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a job event; recorded as is.
        }
        var timestamp = Header(RunnerProtocol.TimestampHeader);
        var signature = Header(RunnerProtocol.SignatureHeader);
        var valid = RunnerSignatureCheck.IsSignedBy(context, body, StandInRunner.Key);
        return new ReceivedRequest(
            context.Request.Path + context.Request.QueryString,
            context.Connection.Id,
            Header("Content-Type"),
            body,
            jobId,
            name,
            int.TryParse(Header(RunnerProtocol.AttemptHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) ? attempt : null,
            long.TryParse(Header(RunnerProtocol.TimeoutHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) ? timeout : null,
            Header(RunnerProtocol.KeyIdHeader),
            timestamp,
            signature,
            valid);
    }
}
