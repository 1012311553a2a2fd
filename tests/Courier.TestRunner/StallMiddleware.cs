using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.TestRunner;

/// <summary>
/// With <c>--stall</c>: holds a job's request for <see cref="RunnerJobParams.StallMilliseconds"/> before the runner
/// endpoint sees it, until the dispatcher hangs up. This is a runner too slow to answer at all; the endpoint's own
/// execution limit starts only once it has the request, so only the dispatcher's timeout can end it.
/// </summary>
internal sealed class StallMiddleware(RequestDelegate next, RunnerLedger ledger, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            request.EnableBuffering();
            var (jobId, stall, stallAttempts) = await ReadStallAsync(request.Body, context.RequestAborted);
            request.Body.Position = 0;
            var attempt = int.TryParse(request.Headers[RunnerProtocol.AttemptHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 1;
            if (jobId is not null && stall > 0 && (stallAttempts == 0 || attempt <= stallAttempts))
            {
                await ledger.RecordAsync(jobId, attempt, RunnerLedger.Stalled, $"{stall} ms");
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(stall), time, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return; // the dispatcher gave up on this request
                }
            }
        }
        await next(context);
    }

    /// <summary>The job id and stall settings of a job event body; nothing when it is not one (the endpoint explains why).</summary>
    private static async Task<(string? JobId, int Stall, int StallAttempts)> ReadStallAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("meta", out var meta) || !meta.TryGetProperty("id", out var id)
                || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                return (null, 0, 0);
            }
            return (id.GetString(), Number(parameters, "stallMilliseconds"), Number(parameters, "stallAttempts"));
        }
        catch (JsonException)
        {
            return (null, 0, 0);
        }
    }

    private static int Number(JsonElement parameters, string name) =>
        parameters.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
}
