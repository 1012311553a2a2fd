using Microsoft.Net.Http.Headers;

namespace Courier.Runner.Http;

/// <summary>
/// Whether a request's <c>Content-Type</c> is JSON this endpoint can read: <c>application/json</c> with no charset or
/// UTF-8, quoted or not, in any case (<c>charset=utf-8</c>, <c>charset="UTF-8"</c>, <c>charset=utf8</c>). JSON is
/// UTF-8 by definition (RFC 8259), so another charset cannot be a body Courier reads.
/// </summary>
public static class JsonContentType
{
    /// <summary>The media type of a JSON body.</summary>
    public const string MediaType = "application/json";

    /// <summary>True when <paramref name="contentType"/> is JSON with no charset or UTF-8.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (!mediaType.Charset.HasValue)
        {
            return true;
        }
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }
}
