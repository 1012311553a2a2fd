using System.Collections.Concurrent;
using System.Diagnostics;

namespace Courier.Testing;

/// <summary>
/// Records every activity of the named sources as it stops (all data, recorded), as a tracing SDK would. Listeners are
/// process-wide: tests running at the same time record theirs too, so a test picks its own by trace id.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public ActivityRecorder(params string[] sources)
    {
        var names = sources.ToHashSet(StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped activities of one trace, in the order they stopped.</summary>
    public IReadOnlyList<Activity> Of(ActivityTraceId trace) => [.. _stopped.Where(a => a.TraceId == trace)];

    /// <summary>True when <paramref name="ancestor"/> is a parent of <paramref name="activity"/>, or a parent's parent, among <paramref name="trace"/>.</summary>
    public static bool Descends(Activity activity, ActivitySpanId ancestor, IReadOnlyList<Activity> trace)
    {
        var parent = activity.ParentSpanId;
        for (var hops = 0; hops < 16 && parent != default; hops++)
        {
            if (parent == ancestor)
            {
                return true;
            }
            var current = parent;
            parent = trace.FirstOrDefault(a => a.SpanId == current)?.ParentSpanId ?? default;
        }
        return false;
    }

    public void Dispose() => _listener.Dispose();
}
