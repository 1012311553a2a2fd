using System.ComponentModel;
using System.Globalization;

namespace Courier.Server.Configuration;

/// <summary>
/// A duration in the configuration file: <c>500ms</c>, <c>30s</c>, <c>7m</c>, <c>2h</c>, <c>1d</c>, or a number of
/// seconds. The configuration binder reads it through <see cref="DurationConverter"/>.
/// </summary>
[TypeConverter(typeof(DurationConverter))]
public readonly record struct Duration(TimeSpan TimeSpan)
{
    /// <summary>How durations are written, for error messages.</summary>
    public const string Help = "use a number of seconds, or a number with ms, s, m, h or d: 500ms, 30s, 7m, 2h, 1d";

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration (negative, unknown unit, too long).</summary>
    public static bool TryParse(string text, out Duration duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        text = text.Trim();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }
        if (end == 0 || !decimal.TryParse(text.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        long? ticksPerUnit = text[end..] switch
        {
            "" or "s" => TimeSpan.TicksPerSecond,
            "ms" => TimeSpan.TicksPerMillisecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            "d" => TimeSpan.TicksPerDay,
            _ => null,
        };
        if (ticksPerUnit is null)
        {
            return false;
        }
        try
        {
            var ticks = amount * ticksPerUnit.Value;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
            duration = new Duration(TimeSpan.FromTicks((long)decimal.Round(ticks)));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The duration as a <see cref="System.TimeSpan"/>.</summary>
    public static implicit operator TimeSpan(Duration duration) => duration.TimeSpan;

    /// <inheritdoc/>
    public override string ToString() => TimeSpan.ToString();
}
