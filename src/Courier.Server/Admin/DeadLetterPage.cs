namespace Courier.Server.Admin;

/// <summary>One page of dead letters (<see cref="IDeadLetterBrowser.QueryAsync"/>).</summary>
internal sealed record DeadLetterPage
{
    /// <summary>The entries, newest first.</summary>
    public required IReadOnlyList<DeadLetterEntry> Items { get; init; }

    /// <summary>How many dead letters match the filter in all (not only this page).</summary>
    public required long Matching { get; init; }

    /// <summary>Pass as <see cref="DeadLetterQuery.Cursor"/> for the next page; null on the last.</summary>
    public string? NextCursor { get; init; }

    /// <summary>
    /// Dead letters appended to the error topic that the index has not read yet (it follows the topic a moment
    /// behind); 0 when it is caught up.
    /// </summary>
    public long NotYetIndexed { get; init; }
}
