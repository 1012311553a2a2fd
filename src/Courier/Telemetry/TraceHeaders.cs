using System.Diagnostics;
using System.Text;

namespace Courier.Telemetry;

/// <summary>
/// W3C trace context in record headers: the client writes the enqueuing activity's <c>traceparent</c> (and
/// <c>tracestate</c>), retry and dead-letter records carry them on, and the dispatcher's execution activity becomes a
/// child of that context, so a job's executions join the trace of the operation that enqueued it.
/// </summary>
public static class TraceHeaders
{
    /// <summary>The W3C <c>traceparent</c> header.</summary>
    public const string Traceparent = "traceparent";

    /// <summary>The W3C <c>tracestate</c> header.</summary>
    public const string Tracestate = "tracestate";

    /// <summary>The headers of <paramref name="activity"/>'s context, or null when there is none (or it is not W3C).</summary>
    public static LogHeader[]? Of(Activity? activity)
    {
        return activity is { IdFormat: ActivityIdFormat.W3C, Id: { } traceparent } ? Headers(traceparent, activity.TraceStateString) : null;
    }

    /// <summary>
    /// The headers for a context received from elsewhere (an HTTP request's <c>traceparent</c> and <c>tracestate</c>),
    /// or null when <paramref name="traceparent"/> is missing or not a valid W3C trace context: an invalid value is
    /// dropped, never passed on.
    /// </summary>
    public static LogHeader[]? Of(string? traceparent, string? tracestate)
    {
        return ContextOf(traceparent, tracestate) == default ? null : Headers(traceparent!, tracestate);
    }

    /// <summary>
    /// The remote context a <c>traceparent</c> (and <c>tracestate</c>) names, or the default (none) when it is missing or
    /// not a valid W3C trace context: the one parse of a received context, from record headers or request headers.
    /// </summary>
    public static ActivityContext ContextOf(string? traceparent, string? tracestate) =>
        traceparent is not null && ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out var context) ? context : default;

    /// <summary>The trace context a record carries, or the default (none) when it has none or it does not parse.</summary>
    public static ActivityContext ParentOf(LogRecord record)
    {
        if (record.GetHeader(Traceparent) is not { } traceparent)
        {
            return default;
        }
        var state = record.GetHeader(Tracestate) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
        return ContextOf(Encoding.UTF8.GetString(traceparent), state);
    }

    /// <summary>The trace headers of <paramref name="record"/>, to carry on to the records its outcome writes.</summary>
    public static IEnumerable<LogHeader> CopyFrom(LogRecord record)
    {
        foreach (var name in (string[])[Traceparent, Tracestate])
        {
            if (record.GetHeader(name) is { } value)
            {
                yield return new LogHeader(name, value);
            }
        }
    }

    private static LogHeader[] Headers(string traceparent, string? tracestate)
    {
        var parent = new LogHeader(Traceparent, Encoding.UTF8.GetBytes(traceparent));
        return tracestate is { Length: > 0 } state
            ? [parent, new LogHeader(Tracestate, Encoding.UTF8.GetBytes(state))]
            : [parent];
    }
}
