namespace Courier.Bench;

/// <summary>Jobs done over a measured span, with what the process spent on them.</summary>
internal sealed record RateResult
{
    /// <summary>Jobs enqueued or executed in the span.</summary>
    public required long Jobs { get; init; }

    /// <summary>Jobs the span was meant to cover; more than <see cref="Jobs"/> when the phase limit cut it short.</summary>
    public required long Planned { get; init; }

    /// <summary>Length of the span.</summary>
    public required double Seconds { get; init; }

    /// <summary>Jobs per second.</summary>
    public double PerSecond => Seconds > 0 ? Jobs / Seconds : 0;

    /// <summary>Process CPU time in the span (all threads).</summary>
    public required double CpuSeconds { get; init; }

    /// <summary>Managed bytes allocated in the span.</summary>
    public required long AllocatedBytes { get; init; }

    /// <summary>Collections in the span, by generation.</summary>
    public required int[] Collections { get; init; }

    /// <summary>For a drain: time from starting the system to the first handler call (start-up cost).</summary>
    public double? FirstJobMs { get; init; }

    /// <summary>Largest working set sampled in the span.</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>Largest managed heap (<see cref="GC.GetTotalMemory(bool)"/>) sampled in the span.</summary>
    public required long PeakGcHeapBytes { get; init; }
}
