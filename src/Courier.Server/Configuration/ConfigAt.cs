using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// Where a value is in the configuration: its key path as errors name it (<c>runners.p.urls[1]</c>,
/// <c>engine.consumer.group.id</c>) and its configuration key (<c>runners:p:urls:1</c>), which finds its line.
/// </summary>
internal readonly record struct ConfigAt(string Path, string Key)
{
    public static ConfigAt Root => new("", "");

    public ConfigAt this[string name] => new(Path.Length == 0 ? name : $"{Path}.{name}", Key.Length == 0 ? name : ConfigurationPath.Combine(Key, name));

    public ConfigAt this[int index] => new($"{Path}[{index.ToString(CultureInfo.InvariantCulture)}]", ConfigurationPath.Combine(Key, index.ToString(CultureInfo.InvariantCulture)));
}
