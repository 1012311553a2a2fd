using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// Binds the loaded configuration to <see cref="CourierConfig"/> with the configuration binder: keys by
/// <see cref="ConfigurationKeyNameAttribute"/>, durations through <see cref="DurationConverter"/>, mappings in file
/// order. Unknown keys are refused by <see cref="ConfigShape"/> before binding, not by the binder's
/// <see cref="BinderOptions.ErrorOnUnknownConfiguration"/>: in this version of the binder that option compares keys
/// with the properties' C# names, ignoring <see cref="ConfigurationKeyNameAttribute"/> (it refuses <c>group_id</c>
/// and would accept <c>GroupId</c>, which binds nothing), and its error names neither the key path nor the line.
/// A value the binder cannot convert is named from the section it read last.
/// </summary>
internal static class ConfigBinding
{
    public static CourierConfig Bind(IConfiguration configuration, ConfigFileOrder order, string file)
    {
        var shape = new ConfigShape(file, order);
        shape.Check(configuration);
        var readLast = new StrongBox<OrderedSection?>();
        try
        {
            return new OrderedSection(configuration, order, readLast).Get<CourierConfig>() ?? new CourierConfig();
        }
        catch (InvalidOperationException e) when (readLast.Value is { } section && shape.ValueAt(section.Path) is { } at)
        {
            var value = configuration[section.Path];
            var type = Nullable.GetUnderlyingType(at.Type) ?? at.Type;
            var problem = type == typeof(Duration) && Innermost(e) is FormatException format ? format.Message
                : $"must be {ConfigModel.Expected(type)}, got '{value}'";
            throw new CourierConfigException(file, at.Path, problem, order.LineOf(section.Path), e);
        }
        catch (InvalidOperationException e)
        {
            throw new CourierConfigException(file, "", Innermost(e).Message, innerException: e);
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
