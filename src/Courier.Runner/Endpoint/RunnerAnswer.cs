using System.Globalization;
using Courier.Runner.Http;
using Microsoft.AspNetCore.Http;

namespace Courier.Runner.Endpoint;

/// <summary>Writes a runner's non-200 answer: the status, <c>Retry-After</c> if any, and <c>{status, error_class, message}</c>.</summary>
internal static class RunnerAnswer
{
    public static Task WriteAsync(HttpContext context, int status, FailureClass failure, string message, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);
        }
        return JsonAnswer.WriteAsync(context, status, 128 + message.Length, (status, failure, message), static (writer, answer) =>
        {
            writer.WriteNumber("status", answer.status);
            writer.WriteString("error_class", answer.failure.ToWireName());
            writer.WriteString("message", answer.message);
        });
    }

    /// <summary>The status that answers a handler's failure of class <paramref name="failure"/>.</summary>
    public static int StatusOf(FailureClass failure) => failure switch
    {
        FailureClass.Decode => StatusCodes.Status400BadRequest,
        FailureClass.Permanent => StatusCodes.Status422UnprocessableEntity,
        FailureClass.Backpressure => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Retry-After is whole seconds; round up, and never 0 (which would invite an immediate retry storm).</summary>
    public static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
}
