namespace Courier.Dispatching.Outcomes;

/// <summary>
/// Told every durable outcome, on the worker that produced it: must be quick, thread-safe and must not throw.
/// </summary>
internal interface IOutcomeListener
{
    /// <summary>One outcome.</summary>
    void Observe(in OutcomeSample sample);
}
