using System.Collections;
using System.ComponentModel;
using System.Globalization;

namespace Courier.Server.Configuration;

/// <summary>
/// What the configuration binder gets when a list key holds a single value: the empty value an empty list leaves
/// becomes an empty <see cref="ConfigList{T}"/>, and any other value a list of one (which <see cref="ConfigShape"/>
/// allows only for URLs).
/// </summary>
public sealed class ConfigListConverter(Type type) : TypeConverter
{
    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc/>
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        var list = (IList)Activator.CreateInstance(type)!;
        if (value is string { Length: > 0 } text)
        {
            list.Add(TypeDescriptor.GetConverter(ConfigModel.ItemOf(type)!).ConvertFromInvariantString(text));
        }
        return list;
    }
}
