namespace Courier.Log;

/// <summary>
/// The job log's topic names, Kafka's rules (1–249 characters of [a-zA-Z0-9._-], not "." or ".."), checked the same way
/// by every engine: the embedded log enforces them too, so that a configuration that works on SQLite also works when the
/// engine is switched to Kafka.
/// </summary>
public static class TopicNameRules
{
    /// <summary>Longest topic name Kafka accepts.</summary>
    public const int MaxLength = 249;

    /// <summary>Throws <see cref="ArgumentException"/> naming the rule <paramref name="topic"/> breaks.</summary>
    public static void Validate(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"Topic name '{topic}' must be 1 to {MaxLength} characters long.", nameof(topic));
        }
        if (topic is "." or "..")
        {
            throw new ArgumentException($"Topic name '{topic}' is not allowed.", nameof(topic));
        }
        foreach (var c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException(
                    $"Topic name '{topic}' contains '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed.",
                    nameof(topic));
            }
        }
    }
}
