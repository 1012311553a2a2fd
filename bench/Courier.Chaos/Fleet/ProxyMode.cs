namespace Courier.Chaos.Fleet;

/// <summary>What a <see cref="FaultProxy"/> does with a request.</summary>
internal enum ProxyMode
{
    /// <summary>Passes it to the runner.</summary>
    Pass,

    /// <summary>Answers 503 at once.</summary>
    Storm,

    /// <summary>Holds it past the rule's timeout, then passes it on if the dispatcher still waits.</summary>
    Slow,
}
