using System.Text.RegularExpressions;

namespace Courier.Server.Downtimes;

/// <summary>
/// Which comments <c>courier downtime cancel</c> takes: one exact string (ordinal), or a regular expression that must
/// match the whole comment (anchored, as Alertmanager anchors its matchers), so a short pattern cannot reach more
/// downtimes than it names.
/// </summary>
internal sealed class CommentMatch
{
    private readonly string? _exact;
    private readonly Regex? _regex;

    private CommentMatch(string text, string? exact, Regex? regex)
    {
        Text = text;
        _exact = exact;
        _regex = regex;
    }

    /// <summary>What was given, for messages.</summary>
    public string Text { get; }

    /// <summary>Whether this is a regular expression.</summary>
    public bool IsRegex => _regex is not null;

    /// <summary>Comments equal to <paramref name="comment"/>.</summary>
    public static CommentMatch Exact(string comment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(comment);
        return new CommentMatch(comment, comment, null);
    }

    /// <summary>Comments <paramref name="pattern"/> matches in full; <see cref="ArgumentException"/> when it is not a valid expression.</summary>
    public static CommentMatch FullRegex(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return new CommentMatch(pattern, null,
            new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }

    /// <summary>Whether <paramref name="comment"/> is taken.</summary>
    public bool Matches(string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        return _regex?.IsMatch(comment) ?? string.Equals(comment, _exact, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public override string ToString() => IsRegex ? $"comment matching /{Text}/" : $"comment \"{Text}\"";
}
