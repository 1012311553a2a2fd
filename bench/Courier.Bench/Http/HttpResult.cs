namespace Courier.Bench;

/// <summary>The HTTP runner section: the dispatcher with an HTTP runner pool beside the in-process executor.</summary>
internal sealed record HttpResult
{
    /// <summary>Jobs per run.</summary>
    public required int Jobs { get; init; }

    /// <summary>Settings as measured (concurrency, connections, runner limits).</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    /// <summary>The measured rounds, in order.</summary>
    public required IReadOnlyList<HttpRound> Rounds { get; init; }

    /// <summary>Start latency through the in-process executor at the paced rate.</summary>
    public LatencyResult? InProcessLatency { get; init; }

    /// <summary>Start latency through the runner at the paced rate (enqueue to the runner's handler).</summary>
    public LatencyResult? HttpLatency { get; init; }

    /// <summary>Median over the rounds of the HTTP path's jobs per second.</summary>
    public double MedianHttpPerSecond => RoundStats.Median(Rounds.Select(r => r.Http.PerSecond));

    /// <summary>Median over the rounds of Courier's HTTP path ÷ the bare HTTP/1.1 loop; null without bare runs.</summary>
    public double? MedianBareRatio => Rounds.Any(r => r.BareRatio is not null)
        ? RoundStats.Median(Rounds.Where(r => r.BareRatio is not null).Select(r => r.BareRatio!.Value)) : null;

    /// <summary>Median over the rounds of the in-process path's jobs per second.</summary>
    public double MedianInProcessPerSecond => RoundStats.Median(Rounds.Select(r => r.InProcess.PerSecond));
}
