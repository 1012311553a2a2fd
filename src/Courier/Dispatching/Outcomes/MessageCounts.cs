namespace Courier.Dispatching.Outcomes;

/// <summary>
/// How often each failure message was seen, for at most <paramref name="capacity"/> distinct messages: a message past
/// the bound is not named (its failure still counts wherever the caller counts failures). Not thread-safe: the owner
/// locks. The breaker's window and a canary's top errors keep theirs in one.
/// </summary>
internal sealed class MessageCounts(int capacity)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts <paramref name="message"/> <paramref name="count"/> times, if it is known or there is room for it.</summary>
    public void Add(string message, long count = 1)
    {
        if (_counts.ContainsKey(message) || _counts.Count < capacity)
        {
            _counts[message] = _counts.GetValueOrDefault(message) + count;
        }
    }

    /// <summary>Adds every count of <paramref name="other"/> (within this one's bound).</summary>
    public void AddAll(MessageCounts other)
    {
        foreach (var (message, count) in other._counts)
        {
            Add(message, count);
        }
    }

    /// <summary>The <paramref name="top"/> most frequent messages, most frequent first, ties in ordinal order.</summary>
    public IEnumerable<(string Message, long Count)> Top(int top) =>
        _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => (c.Key, c.Value));

    /// <summary>Forgets every message.</summary>
    public void Clear() => _counts.Clear();
}
