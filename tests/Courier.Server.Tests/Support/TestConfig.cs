using Courier.Server.Configuration;

namespace Courier.Server.Tests.Support;

/// <summary>A configuration file written into a test's directory and loaded as <c>courier serve --config</c> loads it.</summary>
internal static class TestConfig
{
    public static CourierConfig Load(string directory, string yaml)
    {
        var path = Path.Combine(directory, "courier.yaml");
        File.WriteAllText(path, yaml);
        return CourierConfigFile.Load(path);
    }

    /// <summary>The dispatcher options <paramref name="yaml"/> makes of the defaults.</summary>
    public static DispatcherOptions Dispatcher(string directory, string yaml)
    {
        var dispatcher = new DispatcherOptions();
        Load(directory, yaml).ApplyTo(new CourierOptions(), dispatcher);
        return dispatcher;
    }
}
