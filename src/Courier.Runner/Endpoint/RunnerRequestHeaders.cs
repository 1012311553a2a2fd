using System.Globalization;
using Courier.Runner.Http;
using Microsoft.AspNetCore.Http;

namespace Courier.Runner.Endpoint;

/// <summary>The request headers the runner reads besides the signing ones and the content type (<see cref="JsonContentType"/>): attempt and timeout.</summary>
internal static class RunnerRequestHeaders
{
    /// <summary>
    /// Reads <c>Courier-Attempt</c> (1 when absent) and <c>Courier-Timeout-Ms</c> (none when absent); false, with the
    /// reason, when either is present and not a positive integer.
    /// </summary>
    public static bool TryReadExecutionHeaders(HttpRequest request, out int attempt, out TimeSpan? timeout, out string error)
    {
        attempt = 1;
        timeout = null;
        error = "";
        var attemptText = request.Headers[RunnerProtocol.AttemptHeader].ToString();
        if (attemptText.Length > 0
            && (!int.TryParse(attemptText, NumberStyles.None, CultureInfo.InvariantCulture, out attempt) || attempt < 1))
        {
            error = $"{RunnerProtocol.AttemptHeader} '{attemptText}' is not a positive integer";
            return false;
        }
        var timeoutText = request.Headers[RunnerProtocol.TimeoutHeader].ToString();
        if (timeoutText.Length > 0)
        {
            if (!long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < 1)
            {
                error = $"{RunnerProtocol.TimeoutHeader} '{timeoutText}' is not a positive number of milliseconds";
                return false;
            }
            timeout = TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
        }
        return true;
    }
}
