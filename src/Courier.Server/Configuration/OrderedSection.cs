using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Courier.Server.Configuration;

/// <summary>
/// The loaded configuration as the binder sees it: children in the file's order and with the file's spelling
/// (<see cref="ConfigFileOrder"/>), so that rules, patterns and runner pools bind in file order; and what the binder
/// read last (in <c>readLast</c>), so that a value the binder cannot convert can be named.
/// </summary>
internal sealed class OrderedSection(IConfiguration inner, ConfigFileOrder order, StrongBox<OrderedSection?> readLast) : IConfigurationSection
{
    public string Key => inner is IConfigurationSection section ? order.KeyOf(section) : "";

    public string Path => (inner as IConfigurationSection)?.Path ?? "";

    public string? Value
    {
        get
        {
            readLast.Value = this;
            return (inner as IConfigurationSection)?.Value;
        }
        set => throw new NotSupportedException("the configuration is read-only while it is bound");
    }

    public string? this[string key]
    {
        get => inner[key];
        set => throw new NotSupportedException("the configuration is read-only while it is bound");
    }

    public IConfigurationSection GetSection(string key) => new OrderedSection(inner.GetSection(key), order, readLast);

    public IEnumerable<IConfigurationSection> GetChildren() =>
        order.Sort(inner.GetChildren()).Select(c => new OrderedSection(c, order, readLast)).ToList();

    public IChangeToken GetReloadToken() => inner.GetReloadToken();
}
