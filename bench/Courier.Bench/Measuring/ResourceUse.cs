using System.Diagnostics;

namespace Courier.Bench;

/// <summary>CPU time, allocations and collections of this process over one measured span.</summary>
internal readonly record struct ResourceUse(TimeSpan CpuTime, long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    /// <summary>The counters now.</summary>
    public static ResourceUse Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ResourceUse(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    }

    /// <summary>What was used between <paramref name="start"/> and now.</summary>
    public static ResourceUse Since(ResourceUse start)
    {
        var now = Now();
        return new ResourceUse(now.CpuTime - start.CpuTime, now.AllocatedBytes - start.AllocatedBytes,
            now.Gen0 - start.Gen0, now.Gen1 - start.Gen1, now.Gen2 - start.Gen2);
    }
}
