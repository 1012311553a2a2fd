namespace Courier.Server.Admin;

/// <summary>
/// A page of dead letters to list (<c>GET /v1/dead-letters</c>, the console's browser): newest first, filtered by
/// type, class, job id and text in the reason; <see cref="Cursor"/> continues after a previous page.
/// </summary>
internal sealed record DeadLetterQuery
{
    /// <summary>Only this job type.</summary>
    public string? JobType { get; init; }

    /// <summary>Only this failure class.</summary>
    public FailureClass? Class { get; init; }

    /// <summary>Only dead letters of this job id.</summary>
    public string? JobId { get; init; }

    /// <summary>Only dead letters whose reason contains this text (case-insensitive).</summary>
    public string? Text { get; init; }

    /// <summary>Only dead letters not replayed yet (true), only replayed ones (false), or both (null).</summary>
    public bool? Unreplayed { get; init; }

    /// <summary>The <see cref="DeadLetterPage.NextCursor"/> of the previous page, or null for the first.</summary>
    public string? Cursor { get; init; }

    /// <summary>Most entries in the page (1..500).</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Largest <see cref="Limit"/>.</summary>
    public const int MaxLimit = 500;
}
