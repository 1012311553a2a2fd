namespace Courier.Server;

/// <summary>Checks of single values the types do not describe: names, ranges of the partition settings, file paths.</summary>
internal sealed partial class ConfigChecks
{
    private void AtLeast(int value, int min, ConfigAt at)
    {
        if (value < min)
        {
            throw Error(at, $"must be at least {min}, got {value}");
        }
    }

    private void NoWhitespace(string name, ConfigAt parent, string noun)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Error(parent, $"'{name}' is not a {noun} (a {noun.Split(' ')[^1]} has no whitespace or control characters)");
        }
    }

    /// <summary>A file path, relative to the configuration file's folder.</summary>
    private string? FilePath(string? path) => path is null ? null : Path.GetFullPath(path, directory);

    private CourierConfigException Error(ConfigAt at, string problem) => new(file, at.Path, problem, order.LineOf(at.Key));
}
