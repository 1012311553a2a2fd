using System.Text.Json.Serialization;

namespace Courier.Server.Downtimes;

/// <summary>The body of <c>POST /v1/downtimes/cancel</c>, as <c>courier downtime cancel</c>'s options.</summary>
internal sealed record DowntimeCancelBody
{
    /// <summary>The comment: exact, or with <see cref="Regex"/> an expression the whole comment must match.</summary>
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    /// <summary>Whether <see cref="Comment"/> is a regular expression.</summary>
    [JsonPropertyName("regex")] public bool Regex { get; init; }
    /// <summary>Say what would be cancelled; change nothing.</summary>
    [JsonPropertyName("dry_run")] public bool DryRun { get; init; }

    /// <summary>
    /// The match, or <see cref="ArgumentException"/> for an empty comment or a bad expression, its message starting
    /// with the field's name (<c>comment …</c>; the command puts <c>--</c> before it).
    /// </summary>
    public CommentMatch ToMatch()
    {
        if (string.IsNullOrWhiteSpace(Comment))
        {
            throw new ArgumentException("comment is empty");
        }
        if (!Regex)
        {
            return CommentMatch.Exact(Comment);
        }
        try
        {
            return CommentMatch.FullRegex(Comment);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"comment: '{Comment}' is not a regular expression: {e.Message}", e);
        }
    }
}
