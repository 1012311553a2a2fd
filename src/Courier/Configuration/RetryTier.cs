using System.Globalization;

namespace Courier;

/// <summary>A retry delay tier: all records of a tier's topic wait the same time.</summary>
public sealed record RetryTier(TimeSpan Delay)
{
    /// <summary>Compact name used in topic names: <c>500ms</c>, <c>30s</c>, <c>6m</c>, <c>2h</c>, <c>1d</c>.</summary>
    public string Name => Delay switch
    {
        { TotalDays: >= 1 } d when d.TotalDays == Math.Floor(d.TotalDays) => $"{(long)d.TotalDays}d",
        { TotalHours: >= 1 } d when d.TotalHours == Math.Floor(d.TotalHours) => $"{(long)d.TotalHours}h",
        { TotalMinutes: >= 1 } d when d.TotalMinutes == Math.Floor(d.TotalMinutes) => $"{(long)d.TotalMinutes}m",
        { TotalSeconds: >= 1 } d when d.TotalSeconds == Math.Floor(d.TotalSeconds) => $"{(long)d.TotalSeconds}s",
        _ => ((long)Math.Ceiling(Delay.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms",
    };
}
