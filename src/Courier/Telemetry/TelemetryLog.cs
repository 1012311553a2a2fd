using Microsoft.Extensions.Logging;

namespace Courier.Telemetry;

/// <summary>Log lines of <see cref="CourierTelemetry"/>.</summary>
internal static partial class TelemetryLog
{
    [LoggerMessage(1300, LogLevel.Warning,
        "Metric label {Label}: {Max} values beyond the known ones are in use, so '{Value}' and every further new value are "
        + "recorded as 'unknown' (known values: types with a handler, a rule or a params schema; docs/operations.md, Metrics)")]
    public static partial void LabelBoundReached(ILogger logger, string label, int max, string value);
}
