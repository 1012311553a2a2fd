using System.ComponentModel;
using System.Globalization;

namespace Courier.Server.Configuration;

/// <summary>
/// Reads the single value <c>off</c> of a block that may be turned off (<c>breaker: off</c>, <c>dedupe: off</c>);
/// any other single value is refused before binding (<see cref="ConfigShape"/>), with this converter's help as a fallback.
/// </summary>
public abstract class OffConverter : TypeConverter
{
    /// <summary>The value that turns a block off.</summary>
    public const string OffValue = "off";

    /// <summary>The block turned off.</summary>
    protected abstract object Off { get; }

    /// <summary>What the block is and its keys, for the error (e.g. <c>a breaker: write 'off' or a mapping (…)</c>).</summary>
    protected abstract string Help { get; }

    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is OffValue ? Off : throw new FormatException($"'{value}' is not {Help}");
}
