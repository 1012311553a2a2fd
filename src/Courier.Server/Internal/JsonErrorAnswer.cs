using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Internal;

/// <summary>The service's answer to a request it refuses whole: <c>{"status": …, "error": …}</c>, application/json.</summary>
internal static class JsonErrorAnswer
{
    public const string ContentType = "application/json; charset=utf-8";

    // Errors quote names ('x'); the default encoder would write \u0027. The body is application/json, never HTML.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", status);
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
