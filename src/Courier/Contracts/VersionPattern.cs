namespace Courier.Contracts;

/// <summary>
/// The versions a params converter reads: an exact <c>1.2.0</c>, a minor line <c>1.2.x</c>, a major line <c>1.x</c>,
/// or <c>unversioned</c> (events with no <c>meta.params_version</c>, as MediaWiki and producers without schemas write).
/// </summary>
internal readonly record struct VersionPattern(int? Major, int? Minor, int? Patch, bool Unversioned)
{
    public const string UnversionedText = "unversioned";

    /// <summary>How specific the pattern is: an exact version beats a minor line, which beats a major line.</summary>
    public int Specificity => Unversioned ? 3 : Patch is not null ? 3 : Minor is not null ? 2 : 1;

    public static VersionPattern Parse(string text, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text, paramName);
        if (string.Equals(text, UnversionedText, StringComparison.Ordinal))
        {
            return new VersionPattern(null, null, null, true);
        }
        if (ParamsSchemaVersion.TryParse(text, out var exact))
        {
            return new VersionPattern(exact.Major, exact.Minor, exact.Patch, false);
        }
        var parts = text.Split('.');
        if (parts[^1] == "x" && parts.Length is 2 or 3
            && ParamsSchemaVersion.TryParse(string.Join('.', parts[..^1].Concat(Enumerable.Repeat("0", 4 - parts.Length))), out var line))
        {
            return parts.Length == 2
                ? new VersionPattern(line.Major, null, null, false)
                : new VersionPattern(line.Major, line.Minor, null, false);
        }
        throw new ArgumentException(
            $"'{text}' is not a version pattern: use an exact version (1.2.0), a line (1.x, 1.2.x) or '{UnversionedText}'", paramName);
    }

    public bool Matches(string? version)
    {
        if (version is null)
        {
            return Unversioned;
        }
        if (Unversioned || !ParamsSchemaVersion.TryParse(version, out var v))
        {
            return false;
        }
        return v.Major == Major && (Minor is null || v.Minor == Minor) && (Patch is null || v.Patch == Patch);
    }

    public override string ToString() =>
        Unversioned ? UnversionedText : Patch is not null ? $"{Major}.{Minor}.{Patch}" : Minor is not null ? $"{Major}.{Minor}.x" : $"{Major}.x";
}
