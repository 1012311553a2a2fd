using Courier.Server.Internal;

namespace Courier.Server;

/// <summary>
/// Loads the dispatcher service's configuration file: JSON (<c>.json</c>) or YAML (<c>.yaml</c>, <c>.yml</c>), one
/// model for both. See <c>deploy/courier.example.yaml</c> and docs/operations.md "Configuration".
/// </summary>
public static class CourierConfigFile
{
    /// <summary>
    /// Reads, checks and returns the configuration. Throws <see cref="CourierConfigException"/> naming the file,
    /// the key path and the problem: a missing file, bad syntax, an unknown or duplicate key, a value of the wrong
    /// kind or out of range, librdkafka settings that librdkafka or Courier's guarantees refuse, or rules that <see cref="DispatcherOptions.Validate"/> refuses.
    /// </summary>
    public static CourierConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".JSON" or ".YAML" or ".YML"))
        {
            throw new CourierConfigException(path, "", "unknown format: the file name must end in .json, .yaml or .yml");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CourierConfigException(path, "", "file not found", innerException: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CourierConfigException(path, "", $"cannot be read: {e.Message}", innerException: e);
        }

        var tree = extension == ".JSON" ? ConfigTreeReader.ReadJson(text, path) : ConfigTreeReader.ReadYaml(text, path);
        var config = new ConfigBinder(path).Bind(tree);
        if (config.Engine is { } engine)
        {
            EngineSettingsCheck.Check(engine, path);
        }

        // The binder checks each value; the options' own validation is the last word on the whole.
        var dispatcher = new DispatcherOptions();
        config.ApplyTo(new CourierOptions(), dispatcher);
        try
        {
            dispatcher.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException(path, "dispatcher", e.Message, innerException: e);
        }
        return config;
    }
}
