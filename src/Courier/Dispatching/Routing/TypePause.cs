namespace Courier.Dispatching.Routing;

/// <summary>Why and since when a job type's consumption is paused (<see cref="Dispatcher.Pause"/>).</summary>
internal sealed record TypePause(string Reason, DateTimeOffset Since);
