namespace Courier.Server.Configuration;

/// <summary>
/// A configuration file cannot be used. The message names the file, the key path and what is wrong, e.g.
/// <c>config.yaml: dispatcher.rules.refreshLinks: unknown key 'concurency'</c>.
/// </summary>
public sealed class CourierConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CourierConfigException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CourierConfigException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public CourierConfigException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a problem at a key path of a file.</summary>
    public CourierConfigException(string filePath, string keyPath, string problem, int? line = null, Exception? innerException = null)
        : base(Format(filePath, keyPath, problem), innerException)
    {
        FilePath = filePath;
        KeyPath = keyPath;
        Line = line;
    }

    /// <summary>The file, as given to the loader.</summary>
    public string? FilePath { get; }

    /// <summary>Dotted path of the key that is wrong (<c>dispatcher.rules.refreshLinks.timeout</c>); empty for the file itself.</summary>
    public string? KeyPath { get; }

    /// <summary>1-based line of the problem, when the format reports one (YAML).</summary>
    public int? Line { get; }

    private static string Format(string filePath, string keyPath, string problem) =>
        keyPath.Length == 0 ? $"{filePath}: {problem}" : $"{filePath}: {keyPath}: {problem}";
}
