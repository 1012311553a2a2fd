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
        if (activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } traceparent })
        {
            return null;
        }
        var parent = new LogHeader(Traceparent, Encoding.UTF8.GetBytes(traceparent));
        return activity.TraceStateString is { Length: > 0 } state
            ? [parent, new LogHeader(Tracestate, Encoding.UTF8.GetBytes(state))]
            : [parent];
    }

    /// <summary>
    /// The headers for a context received from elsewhere (an HTTP request's <c>traceparent</c> and <c>tracestate</c>),
    /// or null when <paramref name="traceparent"/> is missing or not a valid W3C trace context: an invalid value is
    /// dropped, never passed on.
    /// </summary>
    public static LogHeader[]? Of(string? traceparent, string? tracestate)
    {
        if (traceparent is null || !ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out _))
        {
            return null;
        }
        var parent = new LogHeader(Traceparent, Encoding.UTF8.GetBytes(traceparent));
        return tracestate is { Length: > 0 } state
            ? [parent, new LogHeader(Tracestate, Encoding.UTF8.GetBytes(state))]
            : [parent];
    }

    /// <summary>The trace context a record carries, or the default (none) when it has none or it does not parse.</summary>
    public static ActivityContext ParentOf(LogRecord record)
    {
        if (record.GetHeader(Traceparent) is not { } traceparent)
        {
            return default;
        }
        var state = record.GetHeader(Tracestate) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
        return ActivityContext.TryParse(Encoding.UTF8.GetString(traceparent), state, isRemote: true, out var context) ? context : default;
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
}
