namespace Courier.Server.Downtimes;

/// <summary>Where a downtime stands at an instant (<see cref="Downtime.StateAt"/>).</summary>
internal enum DowntimeState
{
    /// <summary>It starts later.</summary>
    Pending,

    /// <summary>It is in force.</summary>
    Active,

    /// <summary>It ran its course.</summary>
    Ended,

    /// <summary><c>courier downtime cancel</c> ended it before its end.</summary>
    Cancelled,
}
