namespace Courier.Server;

/// <summary>
/// Decodes an event the way the dispatcher would before running it — the event codec, the params contract of its
/// version, the converters and its handler's params binding — without running the handler. What
/// <c>courier contract verify</c> runs on the golden corpus and on recent records of the log.
/// </summary>
public sealed class ContractVerifier
{
    private readonly CourierOptions _options;
    private readonly JobHandlerRegistry _handlers;
    private readonly JobEventCodec _codec;

    /// <summary>Creates a verifier with the codec limits and params schemas of <paramref name="options"/> and the handlers of <paramref name="handlers"/>.</summary>
    public ContractVerifier(CourierOptions options, JobHandlerRegistry handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlers);
        _options = options;
        _handlers = handlers;
        _codec = new JobEventCodec(options);
    }

    /// <summary>Checks one event's bytes, exactly as they are in the log.</summary>
    public ContractVerdict Verify(ReadOnlySpan<byte> utf8Json)
    {
        var decoded = _codec.Decode(utf8Json);
        if (decoded.Event is not { } jobEvent)
        {
            return new ContractVerdict(null, null, "malformed", decoded.Error);
        }
        var version = jobEvent.Meta.ParamsVersion;
        if (_options.ParamsSchemas is { } schemas)
        {
            var check = schemas.Check(jobEvent.Type, version, jobEvent.Params, _options.RequireParamsSchemas, _options.RequireParamsVersion);
            if (!check.IsAccepted)
            {
                return new ContractVerdict(jobEvent.Type, version, check.Reason, check.Error);
            }
        }
        return _handlers.TryBind(jobEvent, out var reason, out var error)
            ? new ContractVerdict(jobEvent.Type, version, null, null)
            : new ContractVerdict(jobEvent.Type, version, reason, error);
    }
}
