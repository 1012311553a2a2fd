namespace Courier.Server.Alerting;

/// <summary>Where an alert of the built-in watcher stands.</summary>
internal enum AlertState
{
    /// <summary>Its condition holds (after its <c>for</c> duration, when it has one).</summary>
    Firing,

    /// <summary>Its condition held and no longer does; kept for a while so that receivers and people see the end.</summary>
    Resolved,
}
