using Courier.Dispatching.Control;

namespace Courier.Server.Admin;

/// <summary>The job types paused by operators, read from the control topic: each type's latest record, when it is a pause.</summary>
internal static class OperatorPauses
{
    /// <summary>The pauses in force, by type name order; empty when the control topic is absent.</summary>
    public static async Task<IReadOnlyList<ControlRecord>> ReadAsync(IJobLog log, TopicNames names, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var latest = new Dictionary<string, ControlRecord>(StringComparer.Ordinal);
        await LogScanner.ScanAsync(log, names.ControlTopic, record =>
        {
            if (ControlRecord.Read(record.Key, record.Value.Span, record.Timestamp) is { } control)
            {
                latest[control.Type] = control;
            }
        }, timeProvider, cancellationToken);
        return latest.Values.Where(r => r.Paused).OrderBy(r => r.Type, StringComparer.Ordinal).ToList();
    }
}
