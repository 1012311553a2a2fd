namespace Courier.Dispatching.Routing;

/// <summary>Who holds a job type's pause: each holder pauses and resumes only its own.</summary>
internal enum PauseHolder
{
    /// <summary>A person or tool: <see cref="Dispatcher.Pause"/>, <c>courier pause</c>, the control topic.</summary>
    Operator,

    /// <summary>The type's circuit breaker, while it is open.</summary>
    Breaker,
}
