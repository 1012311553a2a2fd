using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Courier.Runner.Http;

/// <summary>
/// Writes a small JSON answer whole, with its status and <c>Content-Length</c>: the runner's non-200 answers and the
/// dispatcher service's refusals share this.
/// </summary>
public static class JsonAnswer
{
    /// <summary>The content type of every answer.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    // Messages quote names ('x'); the default encoder would write \u0027, unreadable in curl and logs. The body is
    // application/json, never embedded in HTML, so the relaxed encoder is safe here.
    /// <summary>How answers are written: names in messages stay readable.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Answers <paramref name="status"/> with the object <paramref name="writeObject"/> writes (between its braces).</summary>
    public static async Task WriteAsync<TState>(HttpContext context, int status, int sizeHint, TState state, Action<Utf8JsonWriter, TState> writeObject)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeObject(writer, state);
            writer.WriteEndObject();
        }
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
