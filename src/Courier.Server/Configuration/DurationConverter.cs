using System.ComponentModel;
using System.Globalization;

namespace Courier.Server.Configuration;

/// <summary>Converts configuration text to a <see cref="Duration"/>; the error names the text and how durations are written.</summary>
public sealed class DurationConverter : TypeConverter
{
    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text && Duration.TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"'{value}' is not a duration ({Duration.Help})");
}
