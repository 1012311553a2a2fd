using System.Text.RegularExpressions;
using Courier.Log;

namespace Courier.Sqlite.Topics;

/// <summary>
/// The topics a group member subscribes to: names, and, as in Kafka clients, regular expressions written with a
/// leading '^'. Stored in the member row as one entry per line so other members can compute the same assignment.
/// </summary>
internal sealed class TopicSubscription
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<Regex> _patterns = [];

    private TopicSubscription(IEnumerable<string> entries, bool validate)
    {
        var distinct = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, "topic");
            if (entry.StartsWith('^'))
            {
                try
                {
                    _patterns.Add(new Regex(entry, RegexOptions.CultureInvariant, MatchTimeout));
                }
                catch (ArgumentException ex) when (validate)
                {
                    throw new ArgumentException($"Topic pattern '{entry}' is not a valid regular expression: {ex.Message}", nameof(entries), ex);
                }
                catch (ArgumentException)
                {
                    // Another member's pattern that this build cannot parse matches nothing here.
                    continue;
                }
            }
            else
            {
                if (validate)
                {
                    TopicNameRules.Validate(entry);
                }
                _names.Add(entry);
            }
            distinct.Add(entry);
        }
        Text = string.Join('\n', distinct);
    }

    /// <summary>The entries, sorted, one per line.</summary>
    public string Text { get; }

    public static TopicSubscription Create(IReadOnlyCollection<string> topics) => new(topics, validate: true);

    public static TopicSubscription Parse(string text) =>
        new(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), validate: false);

    public bool Matches(string topic)
    {
        if (_names.Contains(topic))
        {
            return true;
        }
        foreach (var pattern in _patterns)
        {
            try
            {
                if (pattern.IsMatch(topic))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern matches nothing rather than stalling the group.
            }
        }
        return false;
    }
}
