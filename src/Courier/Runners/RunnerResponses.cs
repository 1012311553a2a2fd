using System.Text;
using System.Text.Json;

namespace Courier.Runners;

/// <summary>
/// What a runner's answer means for the job (docs/runners.md): the status, the JSON reason of a Courier runner, or
/// MediaWiki's RunSingleJob.php conventions. Pure functions of the answer, so every mapping is tested the same way.
/// </summary>
internal static class RunnerResponses
{
    /// <summary>Most of a response body read: enough for any reason, never a runner's whole output.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Longest piece of a non-JSON body quoted in a failure message.</summary>
    private const int SnippetChars = 300;

    /// <summary>
    /// A Courier runner's non-2xx answer. The body's <c>error_class</c> decides when present; otherwise 400, 404 and
    /// 413 are <c>decode</c>, 423 and 429 backpressure, 5xx retryable, and everything else permanent.
    /// </summary>
    public static JobResult Courier(string endpoint, int status, string? reasonPhrase, ReadOnlySpan<byte> body, TimeSpan retryAfter)
    {
        var (declared, reason) = ReadReason(body);
        reason ??= Snippet(body) ?? reasonPhrase;
        var failure = declared ?? status switch
        {
            400 or 404 or 413 => FailureClass.Decode,
            423 or 429 => FailureClass.Backpressure,
            >= 500 and < 600 => FailureClass.Retryable,
            _ => FailureClass.Permanent,
        };
        return Result(failure, Message(endpoint, status, reason), retryAfter);
    }

    /// <summary>
    /// A RunSingleJob.php answer other than 2xx. It puts no reason in its body (docs/original-system.md,
    /// "RunSingleJob.php"), so only the status and <c>X-Readonly</c> count: a read-only 500 is backpressure — the
    /// original slept 40–45 s and then answered; we retry later instead — any other 5xx is retryable (the original
    /// retried 50x), anything else permanent.
    /// </summary>
    public static JobResult MediaWiki(string endpoint, int status, string? reasonPhrase, bool readOnly, ReadOnlySpan<byte> body, TimeSpan retryAfter)
    {
        var detail = Snippet(body) ?? reasonPhrase;
        if (status == 500 && readOnly)
        {
            return JobResult.Backpressure(retryAfter, Message(endpoint, status, "the wiki is read-only (X-Readonly)" + (detail is null ? "" : ": " + detail)));
        }
        var failure = status is >= 500 and < 600 ? FailureClass.Retryable : FailureClass.Permanent;
        return Result(failure, Message(endpoint, status, detail), retryAfter);
    }

    /// <summary>The wait a backpressure answer asks for: its <c>Retry-After</c> (seconds or a date), else the pool's default.</summary>
    public static TimeSpan RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan fallback)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => fallback,
        };
        // "Retry-After: 0" (or a date already past) means as soon as possible: the smallest retry tier. A zero or
        // negative wait would be replaced by the dispatcher's own default, which is the opposite of what was asked.
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
    }

    private static JobResult Result(FailureClass failure, string message, TimeSpan retryAfter) => failure switch
    {
        FailureClass.Decode => JobResult.Undecodable(message),
        FailureClass.Retryable => JobResult.Retry(message),
        FailureClass.Backpressure => JobResult.Backpressure(retryAfter, message),
        _ => JobResult.Fail(message),
    };

    private static string Message(string endpoint, int status, string? reason) =>
        reason is null ? $"runner {endpoint}: {status}" : $"runner {endpoint}: {status} {reason}";

    /// <summary>The <c>error_class</c> and <c>message</c> of a JSON body <c>{status, error_class, message}</c>, when it is one.</summary>
    private static (FailureClass? Class, string? Message) ReadReason(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }
        FailureClass? failure = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isClass = reader.ValueTextEquals("error_class"u8);
                var isMessage = !isClass && reader.ValueTextEquals("message"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && isClass && FailureClasses.TryParse(reader.GetString(), out var parsed))
                {
                    failure = parsed;
                }
                else if (reader.TokenType == JsonTokenType.String && isMessage)
                {
                    message = Clean(reader.GetString());
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not (all) JSON, or cut off at MaxBodyBytes: what was read so far stands, the rest is quoted as text.
        }
        return (failure, message);
    }

    /// <summary>The start of a body as one line of text, for a message; null when there is nothing to show.</summary>
    private static string? Snippet(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, SnippetChars * 4)]);
        return Clean(text.Length > SnippetChars ? text[..SnippetChars] + "…" : text);
    }

    /// <summary>One line, no control characters, trimmed; null when empty.</summary>
    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.Length == 0 ? null : builder.ToString();
    }
}
