namespace Courier.Jobs;

/// <summary>
/// The one way a job event gets in: decode it strictly, then check its params against the schema of the version it
/// names, with one set of options (size limit, params schemas, whether schemas and versions are required). The
/// dispatcher, the server's intake, HTTP runners and the contract verifier all pass events through it, so they
/// accept and refuse the same events for the same reasons. Allocates nothing beyond what decoding and the schema
/// check do. Thread-safe.
/// </summary>
public sealed class JobGate
{
    private const string NotAJobEvent = "not a job event";

    private readonly JobEventCodec _codec;
    private readonly ParamsSchemaRegistry? _schemas;
    private readonly bool _requireSchemas;
    private readonly bool _requireVersion;

    /// <summary>A gate with the codec, params schemas and require flags of <paramref name="options"/>.</summary>
    public JobGate(CourierOptions options)
        : this(new JobEventCodec(options), options)
    {
    }

    /// <summary>A gate decoding with <paramref name="codec"/> and checking with the params schemas and require flags of <paramref name="options"/>.</summary>
    public JobGate(JobEventCodec codec, CourierOptions options)
        : this(codec, options.ParamsSchemas, options.RequireParamsSchemas, options.RequireParamsVersion)
    {
    }

    /// <summary>A gate with explicit options; without <paramref name="schemas"/> params are not checked.</summary>
    public JobGate(JobEventCodec codec, ParamsSchemaRegistry? schemas, bool requireSchemas, bool requireVersion)
    {
        ArgumentNullException.ThrowIfNull(codec);
        _codec = codec;
        _schemas = schemas;
        _requireSchemas = requireSchemas;
        _requireVersion = requireVersion;
    }

    /// <summary>Largest event accepted, in bytes.</summary>
    public int MaxEventBytes => _codec.MaxEventBytes;

    /// <summary>Decodes the event and checks its params contract: the event, or the first step that refused it and why.</summary>
    public JobGateResult Inspect(ReadOnlySpan<byte> utf8Json)
    {
        var decoded = Decode(utf8Json);
        return decoded.Passed ? Check(decoded.Event!) : decoded;
    }

    /// <summary>
    /// The first step alone, for a caller that checks something of its own (the topic, its handlers) before the
    /// contract: a refusal is <see cref="DecodeReasons.Malformed"/>.
    /// </summary>
    public JobGateResult Decode(ReadOnlySpan<byte> utf8Json) => ToGateResult(_codec.Decode(utf8Json));

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte})"/> of a log record's value, which stays unchanged while the event lives: the
    /// same verdicts, with params left as the record's bytes until read (<see cref="JobEventCodec.DecodeRecord"/>).
    /// </summary>
    internal JobGateResult DecodeRecord(ReadOnlyMemory<byte> value) => ToGateResult(_codec.DecodeRecord(value));

    private static JobGateResult ToGateResult(JobDecodeResult decoded)
    {
        return decoded.Event is { } jobEvent
            ? JobGateResult.Pass(jobEvent)
            : JobGateResult.Refuse(null, DecodeReasons.Malformed, decoded.Error ?? NotAJobEvent);
    }

    /// <summary>
    /// The second step alone: the params contract of a decoded event. A refusal carries the check's reason
    /// (<see cref="ParamsCheckResult.Reason"/>: unknown_version, missing_version, no_schema or schema_mismatch).
    /// </summary>
    public JobGateResult Check(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        if (_schemas is null)
        {
            return JobGateResult.Pass(jobEvent);
        }
        // The params contract is part of decoding: params that break the schema of the version they name (or a
        // version unknown here) can never succeed on retry — the 2019 incident's failure, caught before any handler.
        var check = _schemas.Check(jobEvent.Type, jobEvent.Meta.ParamsVersion, jobEvent.Params, _requireSchemas, _requireVersion);
        return check.IsAccepted ? JobGateResult.Pass(jobEvent) : JobGateResult.Refuse(jobEvent, check.Reason, check.Error!);
    }
}
