using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Options;
using NetEscapades.Configuration.Yaml;
using YamlDotNet.Core;

namespace Courier.Server.Configuration;

/// <summary>
/// Loads the dispatcher service's configuration file: JSON (<c>.json</c>) or YAML (<c>.yaml</c>, <c>.yml</c>), one
/// model for both, then environment variables <c>COURIER__SECTION__KEY</c> over it (e.g.
/// <c>COURIER__DISPATCHER__GROUP_ID</c>). Relative paths in it are relative to the file's folder. See
/// <c>deploy/courier.example.yaml</c> and docs/operations.md "Configuration".
/// </summary>
public static class CourierConfigFile
{
    /// <summary>The prefix of environment variables that override the file's keys.</summary>
    public const string EnvironmentPrefix = "COURIER__";

    /// <summary>
    /// Reads, checks and returns the configuration. Throws <see cref="CourierConfigException"/> naming the file,
    /// the key path and the problem: a missing file, bad syntax, an unknown or duplicate key, a value of the wrong
    /// kind or out of range, librdkafka settings that librdkafka or Courier's guarantees refuse, or options that <see cref="CourierOptionsValidator"/> or <see cref="DispatcherOptionsValidator"/> refuse.
    /// </summary>
    public static CourierConfig Load(string path) => Load(path, EnvironmentPrefix);

    /// <summary><see cref="Load(string)"/> with the environment variables of another prefix (tests).</summary>
    internal static CourierConfig Load(string path, string environmentPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToUpperInvariant();
        if (extension is not (".JSON" or ".YAML" or ".YML"))
        {
            throw new CourierConfigException(path, "", "unknown format: the file name must end in .json, .yaml or .yml");
        }
        var full = Path.GetFullPath(path);
        try
        {
            using var _ = File.OpenRead(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CourierConfigException(path, "", "file not found", innerException: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CourierConfigException(path, "", $"cannot be read: {e.Message}", innerException: e);
        }

        var directory = Path.GetDirectoryName(full)!;
        using var files = new PhysicalFileProvider(directory, ExclusionFilters.None);
        var name = Path.GetFileName(full);
        IConfigurationProvider provider = extension == ".JSON"
            ? new JsonFileProvider(new JsonConfigurationSource { FileProvider = files, Path = name, Optional = false })
            : new YamlFileProvider(new YamlConfigurationSource { FileProvider = files, Path = name, Optional = false }, path);
        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .Add(new ProvidedSource(provider))
                .AddEnvironmentVariables(environmentPrefix)
                .Build();
        }
        catch (InvalidDataException e)
        {
            throw SyntaxError(path, e);
        }

        var order = new ConfigFileOrder((IFileOutline)provider);
        var config = ConfigBinding.Bind(configuration, order, path);
        new ConfigChecks(path, directory, order, configuration).Check(config);
        if (config.Engine is { } engine)
        {
            EngineSettingsCheck.Check(engine, path);
        }

        // The checks look at each value; the options' validators, as the host runs them on start, have the last word on the whole.
        var courier = new CourierOptions();
        var dispatcher = new DispatcherOptions();
        config.ApplyTo(courier, dispatcher);
        Refuse(new CourierOptionsValidator().Validate(null, courier), path, "");
        Refuse(new DispatcherOptionsValidator().Validate(null, dispatcher), path, "dispatcher");
        return config;
    }

    /// <summary>What the file providers report: bad syntax (with its line), or a duplicate key.</summary>
    private static CourierConfigException SyntaxError(string path, InvalidDataException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case CourierConfigException config:
                    return config;
                case YamlException yaml:
                    var yamlLine = (int)yaml.Start.Line;
                    return new CourierConfigException(path, "", $"not valid YAML at line {yamlLine}: {WithoutPosition(yaml.Message)}", yamlLine, e);
                case JsonException json:
                    var jsonLine = (int)(json.LineNumber ?? 0) + 1;
                    return new CourierConfigException(path, "", $"not valid JSON at line {jsonLine}: {WithoutPosition(json.Message)}", jsonLine, e);
                case FormatException format when DuplicateKey(format.Message) is { } key:
                    var parent = ConfigurationPath.GetParentPath(key)?.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal) ?? "";
                    return new CourierConfigException(path, parent, $"duplicate key '{ConfigurationPath.GetSectionKey(key)}'", innerException: e);
            }
        }
        return new CourierConfigException(path, "", e.Message, innerException: e);
    }

    private static void Refuse(ValidateOptionsResult result, string path, string keyPath)
    {
        if (result.Failed)
        {
            throw new CourierConfigException(path, keyPath, string.Join("; ", result.Failures ?? [result.FailureMessage]));
        }
    }

    /// <summary>The key of the JSON provider's "A duplicate key 'a:b' was found." message.</summary>
    private static string? DuplicateKey(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return message.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) && start >= 0 && end > start ? message[(start + 1)..end] : null;
    }

    private static string WithoutPosition(string message)
    {
        // YamlDotNet: "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): message";
        // System.Text.Json: "message LineNumber: 2 | BytePositionInLine: 4."
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0)
        {
            message = message[(dash + 3)..];
        }
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
