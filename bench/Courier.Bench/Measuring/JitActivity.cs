using System.Runtime;

namespace Courier.Bench;

/// <summary>
/// How much the JIT compiled in this process since a point: the tiered compiler keeps recompiling hot methods (tier 1,
/// with profile data) for a while after they first run, on a background thread whose CPU counts against whatever is
/// measured meanwhile. A warm-up is long enough once a pass of it compiles little.
/// </summary>
internal readonly record struct JitActivity(long Methods, TimeSpan Time)
{
    /// <summary>What has been compiled so far, every thread.</summary>
    public static JitActivity Now() => new(JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());

    /// <summary>What was compiled between <paramref name="start"/> and now.</summary>
    public static JitActivity Since(JitActivity start)
    {
        var now = Now();
        return new JitActivity(now.Methods - start.Methods, now.Time - start.Time);
    }
}
