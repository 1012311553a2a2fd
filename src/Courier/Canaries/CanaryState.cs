namespace Courier.Canaries;

/// <summary>Where a canary is in its life.</summary>
public enum CanaryState
{
    /// <summary>At its first step, being judged.</summary>
    Judging,

    /// <summary>Promoted past its first step, being judged at a later one.</summary>
    Promoting,

    /// <summary>At 100 %: every job of the pool goes to the canary release; judging has ended.</summary>
    Promoted,

    /// <summary>Failed its judgement: weight 0 until the canary is reset (or the dispatcher restarts).</summary>
    RolledBack,
}
