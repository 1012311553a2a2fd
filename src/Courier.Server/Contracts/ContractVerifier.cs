using Courier.Jobs;

namespace Courier.Server.Contracts;

/// <summary>
/// Decodes an event the way the dispatcher would before running it — the event codec, the params contract of its
/// version, the converters and its handler's params binding — without running the handler. What
/// <c>courier contract verify</c> runs on the golden corpus and on recent records of the log.
/// </summary>
internal sealed class ContractVerifier
{
    private readonly JobHandlerRegistry _handlers;
    private readonly JobGate _gate;

    /// <summary>Creates a verifier with the codec limits and params schemas of <paramref name="options"/> and the handlers of <paramref name="handlers"/>.</summary>
    public ContractVerifier(CourierOptions options, JobHandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = handlers;
        _gate = new JobGate(options);
    }

    /// <summary>Checks one event's bytes, exactly as they are in the log.</summary>
    public ContractVerdict Verify(ReadOnlySpan<byte> utf8Json)
    {
        var gate = _gate.Inspect(utf8Json);
        if (gate.Event is not { } jobEvent)
        {
            return new ContractVerdict(null, null, gate.Reason, gate.Error);
        }
        var version = jobEvent.Meta.ParamsVersion;
        if (!gate.Passed)
        {
            return new ContractVerdict(jobEvent.Type, version, gate.Reason, gate.Error);
        }
        return _handlers.TryBind(jobEvent, out var reason, out var error)
            ? new ContractVerdict(jobEvent.Type, version, null, null)
            : new ContractVerdict(jobEvent.Type, version, reason, error);
    }
}
