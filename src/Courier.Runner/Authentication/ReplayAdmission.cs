namespace Courier.Runner.Authentication;

/// <summary>What <see cref="ReplayCache.TryAdd"/> did with a verified signature.</summary>
internal enum ReplayAdmission
{
    /// <summary>First seen: remembered until its timestamp leaves the window.</summary>
    Added,

    /// <summary>Already accepted once inside the window: the request is a replay.</summary>
    Replayed,

    /// <summary>Not remembered: the cache holds its capacity of signatures that are all still inside the window.</summary>
    Full,
}
