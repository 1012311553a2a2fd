using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>A configuration source whose provider already exists, so the loader can ask it about the file afterwards.</summary>
internal sealed class ProvidedSource(IConfigurationProvider provider) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
}
