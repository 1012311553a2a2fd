using System.Globalization;

namespace Courier;

/// <summary>
/// The version of a job type's params schema: <c>major.minor.patch</c>, compared numerically. It names the schema
/// file (<c>jobs/schemas/&lt;type&gt;/1.2.0.json</c>) and travels in each event as <c>meta.params_version</c>.
/// </summary>
public readonly record struct ParamsSchemaVersion : IComparable<ParamsSchemaVersion>
{
    /// <summary>Creates a version; every part must be zero or more.</summary>
    public ParamsSchemaVersion(int major, int minor, int patch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        Major = major;
        Minor = minor;
        Patch = patch;
    }

    /// <summary>The major part: a change readers of the previous major cannot take.</summary>
    public int Major { get; }

    /// <summary>The minor part.</summary>
    public int Minor { get; }

    /// <summary>The patch part.</summary>
    public int Patch { get; }

    /// <summary>Parses <c>major.minor.patch</c> (digits only, no leading zeros, no pre-release suffix).</summary>
    /// <exception cref="FormatException">The text is not such a version; the message says why.</exception>
    public static ParamsSchemaVersion Parse(string text) =>
        TryParse(text, out var version, out var error) ? version : throw new FormatException(error);

    /// <summary>Parses <c>major.minor.patch</c>; false when <paramref name="text"/> is not such a version.</summary>
    public static bool TryParse(string? text, out ParamsSchemaVersion version) => TryParse(text, out version, out _);

    /// <summary>Compares numerically: major, then minor, then patch.</summary>
    public int CompareTo(ParamsSchemaVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }
        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    /// <summary><c>major.minor.patch</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    /// <summary>True when <paramref name="left"/> is older.</summary>
    public static bool operator <(ParamsSchemaVersion left, ParamsSchemaVersion right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is newer.</summary>
    public static bool operator >(ParamsSchemaVersion left, ParamsSchemaVersion right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is older or the same.</summary>
    public static bool operator <=(ParamsSchemaVersion left, ParamsSchemaVersion right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is newer or the same.</summary>
    public static bool operator >=(ParamsSchemaVersion left, ParamsSchemaVersion right) => left.CompareTo(right) >= 0;

    internal static bool TryParse(string? text, out ParamsSchemaVersion version, out string error)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "a params schema version must not be empty; expected major.minor.patch, e.g. 1.0.0";
            return false;
        }
        var parts = text.Split('.');
        if (parts.Length != 3)
        {
            error = $"'{text}' is not a params schema version: expected major.minor.patch, e.g. 1.0.0";
            return false;
        }
        Span<int> numbers = stackalloc int[3];
        for (var i = 0; i < 3; i++)
        {
            var part = parts[i];
            if (part.Length == 0 || part.Length > 9 || !part.All(char.IsAsciiDigit))
            {
                error = $"'{text}' is not a params schema version: each of major.minor.patch is a number of 1 to 9 digits";
                return false;
            }
            if (part.Length > 1 && part[0] == '0')
            {
                error = $"'{text}' is not a params schema version: '{part}' has a leading zero";
                return false;
            }
            numbers[i] = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        version = new ParamsSchemaVersion(numbers[0], numbers[1], numbers[2]);
        error = "";
        return true;
    }
}
