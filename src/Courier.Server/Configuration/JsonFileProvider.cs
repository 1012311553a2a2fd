using Microsoft.Extensions.Configuration.Json;

namespace Courier.Server.Configuration;

/// <summary>The JSON provider, with the file's key order (<see cref="IFileOutline"/>); JSON reports no lines.</summary>
internal sealed class JsonFileProvider(JsonConfigurationSource source) : JsonConfigurationProvider(source), IFileOutline
{
    public IReadOnlyList<string> Keys => [.. Data.Keys];

    public int? LineOf(string key) => null;
}
