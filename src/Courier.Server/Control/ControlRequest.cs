using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Control;

/// <summary>The optional body of a pause, resume or cancel request.</summary>
/// <param name="Reason">Why (pause and cancel).</param>
/// <param name="By">Who asks.</param>
internal sealed record ControlRequest(
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("by")] string? By)
{
    /// <summary>
    /// Reads the request's optional body: the request (null without a body) or, for a body that is not one, the
    /// 400 answer to give.
    /// </summary>
    internal static async Task<(ControlRequest? Request, IResult? Error)> ReadAsync(HttpContext context)
    {
        try
        {
            return (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
                ? await JsonSerializer.DeserializeAsync<ControlRequest>(context.Request.Body, cancellationToken: context.RequestAborted)
                : null, null);
        }
        catch (JsonException e)
        {
            return (null, Results.Json(new { error = $"the body must be JSON {{\"reason\": ..., \"by\": ...}}: {e.Message}" },
                statusCode: StatusCodes.Status400BadRequest));
        }
    }

    /// <summary>Who asks: the body's <c>by</c>, else the caller's address.</summary>
    internal string ByOr(HttpContext context) => string.IsNullOrWhiteSpace(By) ? DefaultBy(context) : By;

    /// <summary>Who asks when the request does not say: the name of the caller's token, else the caller's address.</summary>
    internal static string DefaultBy(HttpContext context) => context.User.Identity is { IsAuthenticated: true, Name: { } name }
        ? $"token {name}"
        : $"http {context.Connection.RemoteIpAddress}";
}
