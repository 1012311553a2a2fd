using System.ComponentModel;

namespace Courier.Server.Configuration;

/// <summary>
/// A list in the configuration file. Unlike a plain list for the configuration binder, an empty list
/// (<c>ignore: []</c>) is an empty value that overrides, not an absent one (<see cref="ConfigListConverter"/>).
/// </summary>
[TypeConverter(typeof(ConfigListConverter))]
public class ConfigList<T> : List<T>
{
    /// <summary>An empty list.</summary>
    public ConfigList() { }

    /// <summary>A list of <paramref name="items"/>.</summary>
    public ConfigList(IEnumerable<T> items) : base(items) { }
}
