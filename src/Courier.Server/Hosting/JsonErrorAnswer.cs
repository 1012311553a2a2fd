using Courier.Runner.Http;
using Microsoft.AspNetCore.Http;

namespace Courier.Server.Hosting;

/// <summary>The service's answer to a request it refuses whole: <c>{"status": …, "error": …}</c>, application/json.</summary>
internal static class JsonErrorAnswer
{
    public static Task WriteAsync(HttpContext context, int status, string message) =>
        JsonAnswer.WriteAsync(context, status, 64 + message.Length, (status, message), static (writer, answer) =>
        {
            writer.WriteNumber("status", answer.status);
            writer.WriteString("error", answer.message);
        });
}
