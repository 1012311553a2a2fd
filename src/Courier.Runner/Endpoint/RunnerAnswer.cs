using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.Runner.Endpoint;

/// <summary>Writes a runner's non-200 answer: the status, <c>Retry-After</c> if any, and <c>{status, error_class, message}</c>.</summary>
internal static class RunnerAnswer
{
    // Messages quote names ('x'); the default encoder would write \u0027, unreadable in curl and logs. The body is
    // application/json, never embedded in HTML, so the relaxed encoder is safe here.
    private static readonly JsonWriterOptions BodyWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, FailureClass failure, string message, TimeSpan? retryAfter)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);
        }
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, BodyWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", status);
            writer.WriteString("error_class", failure.ToWireName());
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Retry-After is whole seconds; round up, and never 0 (which would invite an immediate retry storm).</summary>
    public static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
