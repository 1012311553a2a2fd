namespace Courier.Dispatching.Breaking;

/// <summary>A job type's circuit breaker state; the value is the <c>courier.breaker.state</c> gauge's.</summary>
internal enum BreakerState
{
    /// <summary>Jobs run; outcomes are counted in the window.</summary>
    Closed = 0,

    /// <summary>The type is paused until the open period ends.</summary>
    Open = 1,

    /// <summary>A few jobs are let through; their outcomes close or re-open the breaker.</summary>
    HalfOpen = 2,
}

/// <summary>Names of <see cref="BreakerState"/> as stats, metrics and logs show them.</summary>
internal static class BreakerStateNames
{
    /// <summary><c>closed</c>, <c>open</c> or <c>half_open</c>.</summary>
    public static string ToWireName(this BreakerState state) => state switch
    {
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half_open",
        _ => "closed",
    };
}
