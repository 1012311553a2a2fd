using System.ComponentModel;

namespace Courier.Server;

/// <summary>The URLs of a runner pool: a list, or a single URL as a list of one.</summary>
[TypeConverter(typeof(UrlListConverter))]
public sealed class UrlList : ConfigList<Uri>
{
}
