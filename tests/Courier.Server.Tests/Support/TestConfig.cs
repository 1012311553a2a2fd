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

    /// <summary>The dispatcher options a file named <paramref name="name"/> (its extension picks YAML or JSON) with <paramref name="text"/> gives.</summary>
    public static DispatcherOptions Dispatcher(string directory, string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        var dispatcher = new DispatcherOptions();
        CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), dispatcher);
        return dispatcher;
    }

    /// <summary>The error of a file whose rule <c>a</c> has the one key-value <paramref name="line"/>, loaded and applied.</summary>
    public static string RuleProblem(string directory, string line)
    {
        var path = Path.Combine(directory, "config.yaml");
        File.WriteAllText(path, $"dispatcher:\n  rules:\n    a:\n      {line}\n");
        return Xunit.Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path).ApplyTo(new CourierOptions(), new DispatcherOptions())).Message;
    }
    /// <summary>The dispatcher options <paramref name="yaml"/> makes of the defaults.</summary>
    public static DispatcherOptions Dispatcher(string directory, string yaml)
    {
        var dispatcher = new DispatcherOptions();
        Load(directory, yaml).ApplyTo(new CourierOptions(), dispatcher);
        return dispatcher;
    }
}
