using System.Diagnostics;
using Courier.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Courier.Runner.Telemetry;

/// <summary>
/// The runner's execution activity (source <see cref="CourierRunnerTelemetry.Name"/>): it joins the trace of the
/// dispatcher's request. When ASP.NET Core made a request activity (a listener on <c>Microsoft.AspNetCore</c>, or
/// logging enabled) the execution is its child, and it already continues the request's <c>traceparent</c>; without
/// one, the execution takes its parent from the request's <c>traceparent</c> and <c>tracestate</c> headers itself.
/// Nothing is parsed or allocated when no one listens.
/// </summary>
internal sealed class RunnerTracing : IDisposable
{
    private readonly ActivitySource _source = new(CourierRunnerTelemetry.Name);

    /// <summary>Starts the activity of one execution, or returns null when no one listens.</summary>
    public Activity? Start(HttpContext context, string jobType, int attempt)
    {
        if (!_source.HasListeners())
        {
            return null;
        }
        ActivityContext parent = default;
        var kind = ActivityKind.Internal;
        if (Activity.Current is null)
        {
            kind = ActivityKind.Server;
            var headers = context.Request.Headers;
            parent = TraceHeaders.ContextOf(
                headers.TryGetValue(TraceHeaders.Traceparent, out var traceparent) ? traceparent.ToString() : null,
                headers.TryGetValue(TraceHeaders.Tracestate, out var state) ? state.ToString() : null);
        }
        var activity = _source.StartActivity("run " + jobType, kind, parent);
        activity?.SetTag("job.type", jobType);
        activity?.SetTag("courier.job.attempt", attempt);
        return activity;
    }

    /// <summary>
    /// Marks the execution's activity as an error with the failure class the runner answers (a handler failure, the
    /// execution limit, a dispatcher that hung up), as the dispatcher marks its own attempt.
    /// </summary>
    public static void Failed(Activity? activity, FailureClass failure) =>
        activity?.SetStatus(ActivityStatusCode.Error, failure.ToWireName());

    public void Dispose() => _source.Dispose();
}
