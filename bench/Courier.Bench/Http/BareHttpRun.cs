namespace Courier.Bench.Http;

/// <summary>One run of the bare loop: the client's process measured, and the runner process's CPU over the same span.</summary>
internal sealed record BareHttpRun
{
    /// <summary>Requests answered, time, CPU and memory of the client's (the dispatcher's) process.</summary>
    public required RateResult Rate { get; init; }

    /// <summary>CPU the runner process used during <see cref="Rate"/>.</summary>
    public required double RunnerCpuSeconds { get; init; }

    /// <summary>Both processes' CPU per request, in microseconds.</summary>
    public double CpuPerRequestMicros => Rate.Jobs > 0 ? (Rate.CpuSeconds + RunnerCpuSeconds) * 1e6 / Rate.Jobs : 0;
}
