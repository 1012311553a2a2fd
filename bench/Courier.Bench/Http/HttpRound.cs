using Courier.Bench.Http;

namespace Courier.Bench;

/// <summary>One round of the HTTP section: the same number of jobs through the in-process executor and through the runner.</summary>
internal sealed record HttpRound
{
    public required int Round { get; init; }

    /// <summary>The dispatcher running the no-op handler in its own process.</summary>
    public required RateResult InProcess { get; init; }

    /// <summary>The dispatcher POSTing every job to the runner process (CPU and memory: the dispatcher's process).</summary>
    public required RateResult Http { get; init; }

    /// <summary>CPU the runner process used during <see cref="Http"/>.</summary>
    public required double RunnerCpuSeconds { get; init; }

    /// <summary>The bare loop over HTTP/1.1: the same events POSTed with the pool's client settings, no dispatcher.</summary>
    public BareHttpRun? BareHttp1 { get; init; }

    /// <summary>The bare loop over h2c (HTTP/2 without TLS), which Courier's runner pool does not speak: a reference.</summary>
    public BareHttpRun? BareH2c { get; init; }

    /// <summary>Courier's HTTP path ÷ the bare HTTP/1.1 loop, in requests per second.</summary>
    public double? BareRatio => BareHttp1 is { Rate.PerSecond: > 0 } b ? Http.PerSecond / b.Rate.PerSecond : null;

    /// <summary>HTTP ÷ in-process jobs per second.</summary>
    public double Ratio => InProcess.PerSecond > 0 ? Http.PerSecond / InProcess.PerSecond : 0;
}
