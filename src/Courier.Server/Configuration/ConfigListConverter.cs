using System.ComponentModel;
using System.Globalization;

namespace Courier.Server;

/// <summary>
/// What the configuration binder gets when a list key holds a single value: the empty value an empty list leaves
/// becomes an empty <see cref="ConfigList{T}"/>; any other single value is refused (a list was expected).
/// </summary>
public class ConfigListConverter(Type type) : TypeConverter
{
    /// <summary>The list type converted to.</summary>
    protected Type ListType { get; } = type;

    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is "" ? Activator.CreateInstance(ListType) : FromSingleValue((string)value);

    /// <summary>A list from one non-empty value; refused unless a subclass says otherwise.</summary>
    protected virtual object? FromSingleValue(string value) => throw new FormatException("a list was expected");
}
