namespace Courier.Server;

/// <summary>Checks of single values: not empty, in range, a known name, a file path.</summary>
internal sealed partial class ConfigChecks
{
    private void NotEmpty(string? value, ConfigAt at)
    {
        if (value is { Length: 0 })
        {
            throw Error(at, "must not be empty");
        }
    }

    private void AtLeast(int? value, int min, ConfigAt at, string? tooSmall = null)
    {
        if (value < min)
        {
            throw Error(at, $"{tooSmall ?? $"must be at least {min}"}, got {value}");
        }
    }

    private void Positive(Duration? value, ConfigAt at)
    {
        if (value?.TimeSpan == TimeSpan.Zero)
        {
            throw Error(at, "must be longer than 0");
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
    private string? FilePath(string? path, ConfigAt at)
    {
        NotEmpty(path, at);
        return path is null ? null : Path.GetFullPath(path, directory);
    }

    private CourierConfigException Error(ConfigAt at, string problem) => new(file, at.Path, problem, order.LineOf(at.Key));
}
