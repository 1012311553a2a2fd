namespace Courier.Canaries;

/// <summary>What <see cref="Dispatcher.GetCanaries"/> says about one runner pool's canary.</summary>
public sealed record CanaryStatus
{
    /// <summary>The runner pool.</summary>
    public required string Pool { get; init; }

    /// <summary>The canary's release: configured, else announced by its runners, else null until one answered.</summary>
    public string? Release { get; init; }

    /// <summary>Where the canary is.</summary>
    public required CanaryState State { get; init; }

    /// <summary>The percent of the pool's jobs the canary gets now.</summary>
    public required int Weight { get; init; }

    /// <summary>The stable side in the window.</summary>
    public required CanarySide Stable { get; init; }

    /// <summary>The canary side in the window.</summary>
    public required CanarySide Canary { get; init; }

    /// <summary>The latest judgement (for a rolled-back canary, the one that rolled it back).</summary>
    public required CanaryVerdict Verdict { get; init; }

    /// <summary>When the canary entered its state or step.</summary>
    public required DateTimeOffset Since { get; init; }

    /// <summary>Every state and weight the canary has had since the dispatcher started, oldest first.</summary>
    public required IReadOnlyList<CanaryTransition> History { get; init; }

    /// <summary>The canary's most frequent failure messages, most frequent first (at most five).</summary>
    public required IReadOnlyList<string> TopErrors { get; init; }
}
