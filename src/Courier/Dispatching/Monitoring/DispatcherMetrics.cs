using System.Diagnostics;

namespace Courier.Dispatching.Monitoring;

/// <summary>The dispatcher's counts on the <c>Courier</c> meter that more than one of its parts records.</summary>
internal static class DispatcherMetrics
{
    /// <summary>A failed read, write or commit on the job log (<paramref name="operation"/>: consume, produce, commit).</summary>
    public static void CountLogError(CourierTelemetry telemetry, string operation) =>
        telemetry.LogErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>A state-store operation that failed and was failed open on (<c>courier.state.errors</c>), by store and operation.</summary>
    public static void CountStateError(CourierTelemetry telemetry, string store, string operation) =>
        telemetry.StateErrors.Add(1, StoreTag(store), new KeyValuePair<string, object?>("operation", operation));

    /// <summary>The tag naming a state store (its <see cref="State.IJobStateStore.Name"/>) on the state store's metrics.</summary>
    public static KeyValuePair<string, object?> StoreTag(string store) => new("store", store);

    /// <summary>One job's outcome, by type, outcome, failure class and the release that ran it.</summary>
    public static void CountOutcome(CourierTelemetry telemetry, string type, string outcome, FailureClass? failure, string release)
    {
        var tags = new TagList
        {
            { "job.type", type },
            { "outcome", outcome },
            { "release", release },
        };
        if (failure is { } f)
        {
            tags.Add("failure.class", f.ToWireName());
        }
        telemetry.Outcomes.Add(1, tags);
    }
}
