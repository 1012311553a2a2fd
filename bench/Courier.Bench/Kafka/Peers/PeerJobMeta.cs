namespace Courier.Bench;

/// <summary>The part of a job event's <c>meta</c> that <see cref="PeerJob"/> reads.</summary>
public sealed record PeerJobMeta
{
    /// <summary>The event id (<c>meta.id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The event time (<c>meta.dt</c>).</summary>
    public required DateTimeOffset Dt { get; init; }
}
