using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Courier.Jobs;

namespace Courier;

/// <summary>
/// A job as it travels through the log: the <c>mediawiki/job</c> event shape, so events written by MediaWiki's
/// EventBus are read as they are, legacy fields included (docs/original-system.md, "The job event"); Courier adds
/// <c>meta.producer</c> and <c>meta.params_version</c>, which the original ignores.
/// </summary>
public sealed class JobEvent
{
    /// <summary>Envelope schema URI with version, e.g. <c>/mediawiki/job/1.0.0</c>.</summary>
    public string? Schema { get; init; }

    /// <summary>Event metadata.</summary>
    public required JobMeta Meta { get; init; }

    /// <summary>The wiki (tenant) the job belongs to; also the partitioning key.</summary>
    public required string Database { get; init; }

    /// <summary>The job type; selects the rule and the handler.</summary>
    public required string Type { get; init; }

    private JsonElement _params;
    private ReadOnlyMemory<byte> _paramsUtf8;
    private object? _parsedParams; // the boxed JsonElement parsed from _paramsUtf8, once read

    /// <summary>
    /// The job's arguments: always a JSON object. An event the dispatcher decoded parses its params from the record's
    /// bytes on the first read (a handler binds them from those bytes without it).
    /// </summary>
    public required JsonElement Params
    {
        get => _paramsUtf8.IsEmpty ? _params : ParseParams();
        init => _params = value;
    }

    /// <summary>
    /// The params' UTF-8 bytes in the record they were decoded from (already checked: a JSON object without duplicate
    /// keys), parsed into <see cref="Params"/> only when it is read; empty for an event whose params are an element.
    /// </summary>
    internal ReadOnlyMemory<byte> ParamsUtf8
    {
        get => _paramsUtf8;
        init => _paramsUtf8 = value;
    }

    /// <summary>
    /// <see cref="ParamsUtf8"/> as an element (a copy of the bytes, valid on its own), parsed on the first read.
    /// Thread-safe: two first reads may both parse, and one result is kept.
    /// </summary>
    private JsonElement ParseParams()
    {
        if (Volatile.Read(ref _parsedParams) is JsonElement parsed)
        {
            return parsed;
        }
        // The decoder checked syntax and duplicate keys before it left the bytes unparsed, so this cannot fail.
        object element = JsonElement.Parse(_paramsUtf8.Span);
        return (JsonElement)(Interlocked.CompareExchange(ref _parsedParams, element, null) ?? element);
    }

    private JobEventExtras? _extras; // made by the first field below initialized to a value; null while none is

    /// <summary>Legacy title namespace (pre-1.34 events carried the title at top level).</summary>
    public int? PageNamespace
    {
        get => _extras?.PageNamespace;
        init => SetExtra(value, static (extras, v) => extras.PageNamespace = v);
    }

    /// <summary>Legacy prefixed title dbkey.</summary>
    public string? PageTitle
    {
        get => _extras?.PageTitle;
        init => SetExtra(value, static (extras, v) => extras.PageTitle = v);
    }

    /// <summary>Do not run before this time.</summary>
    public DateTimeOffset? DelayUntil
    {
        get => _extras?.DelayUntil;
        init => SetExtra(value, static (extras, v) => extras.DelayUntil = v);
    }

    /// <summary>Deduplication key: SHA-1 of the type and params without root/release/request keys.</summary>
    public string? Sha1
    {
        get => _extras?.Sha1;
        init => SetExtra(value, static (extras, v) => extras.Sha1 = v);
    }

    /// <summary>The root job this one descends from, for recursive jobs.</summary>
    public RootEvent? RootEvent
    {
        get => _extras?.RootEvent;
        init => SetExtra(value, static (extras, v) => extras.RootEvent = v);
    }

    /// <summary>MediaWiki's event signature, carried through untouched.</summary>
    public string? MediawikiSignature
    {
        get => _extras?.MediawikiSignature;
        init => SetExtra(value, static (extras, v) => extras.MediawikiSignature = v);
    }

    /// <summary>Sets an optional field (initialization only), making the holder for the first one given a value.</summary>
    private void SetExtra<T>(T value, Action<JobEventExtras, T> set)
    {
        if (value is not null)
        {
            set(_extras ??= new JobEventExtras(), value);
        }
    }

    /// <summary>A copy with other params, written with another params version (what a params converter makes).</summary>
    internal JobEvent WithParams(JsonElement parameters, string paramsVersion) => new()
    {
        Schema = Schema,
        Meta = new JobMeta
        {
            Id = Meta.Id,
            Dt = Meta.Dt,
            Stream = Meta.Stream,
            Topic = Meta.Topic,
            Domain = Meta.Domain,
            RequestId = Meta.RequestId,
            Uri = Meta.Uri,
            Producer = Meta.Producer,
            ParamsVersion = paramsVersion,
        },
        Database = Database,
        Type = Type,
        Params = parameters,
        _extras = _extras, // never written after initialization, so the copy can share it
    };
}

/// <summary>The <c>meta</c> object of a job event.</summary>
public sealed class JobMeta
{
    private string? _id;
    private readonly ReadOnlyMemory<byte> _idUtf8;

    /// <summary>Creates event metadata; <see cref="Id"/> and <see cref="Dt"/> are required.</summary>
    public JobMeta()
    {
    }

    /// <summary>
    /// Metadata decoded from a record whose id is left as its bytes there (already checked: a non-empty JSON string
    /// without escapes, in valid UTF-8) and made a string on the first read of <see cref="Id"/>: a job that no cancel,
    /// deduplication, ledger or log line asks about never needs it.
    /// </summary>
    [SetsRequiredMembers]
#pragma warning disable CS8618 // Id is never null: the getter makes it from the bytes given here; Dt is set by the decoder's initializer.
    internal JobMeta(ReadOnlyMemory<byte> idUtf8) => _idUtf8 = idUtf8;
#pragma warning restore CS8618

    /// <summary>Unique event id (UUID).</summary>
    public required string Id
    {
        // Two first reads on two threads may both make the string: equal strings, and either is kept.
        get => _id ?? (_id = Encoding.UTF8.GetString(_idUtf8.Span));
        init => _id = value;
    }

    /// <summary>When the event was created.</summary>
    public required DateTimeOffset Dt { get; init; }

    /// <summary>Stream name, e.g. <c>mediawiki.job.refreshLinks</c>.</summary>
    public string? Stream { get; init; }

    /// <summary>Legacy stream name (2019 events used <c>topic</c>).</summary>
    public string? Topic { get; init; }

    /// <summary>The wiki's domain.</summary>
    public string? Domain { get; init; }

    /// <summary>Id of the request that enqueued the job.</summary>
    public string? RequestId { get; init; }

    /// <summary>A URI describing the job's subject.</summary>
    public string? Uri { get; init; }

    /// <summary>Courier addition: the release that encoded the job, so outcomes can be attributed to it.</summary>
    public ProducerInfo? Producer { get; init; }

    /// <summary>Courier addition: the version of the params schema the params were written with.</summary>
    public string? ParamsVersion { get; init; }
}

/// <summary>Which program and version encoded a job.</summary>
public sealed record ProducerInfo(string Name, string Version);

/// <summary>The root job of a recursive job tree.</summary>
public sealed record RootEvent(string Signature, DateTimeOffset Dt);
