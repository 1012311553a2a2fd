using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Courier.Runner.Internal;

/// <summary>The request headers the runner reads besides the signing ones: content type, attempt and timeout.</summary>
internal static class RunnerRequestHeaders
{
    /// <summary>True for <c>application/json</c> with no charset or UTF-8 (quoted or not).</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals(RunnerProtocol.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // The body is UTF-8 JSON by definition (RFC 8259); a charset other than UTF-8 cannot be this protocol's body.
        // A parameter value may be a quoted string (RFC 9110 §5.6.6): charset="utf-8" is the same charset.
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        return !mediaType.Charset.HasValue
            || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

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
