using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Courier.Client;
using Courier.Jobs.Codec;
using Courier.Telemetry;

namespace Courier;

/// <summary>
/// Enqueues jobs: builds the event (meta, sha1, producer), checks it, and appends it to the job topic.
/// Thread-safe. A request is checked completely before anything is appended; a batch is appended in one call.
/// </summary>
public sealed class CourierClient : IDisposable
{
    /// <summary>Tag carrying the job type on <c>courier.jobs.enqueued</c>.</summary>
    internal const string JobTypeTag = "job.type";

    private readonly IJobLog _log;
    private readonly IJobLogProducer _producer;
    private readonly CourierOptions _options;
    private readonly CourierTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly ProducerInfo _producerInfo;
    private readonly JobTopics _topics;
    private EncodeBuffer? _cachedBuffer;
    private volatile bool _disposed;

    /// <summary>Creates a client that appends through <paramref name="log"/>, with a producer of its own.</summary>
    public CourierClient(IJobLog log, CourierOptions options, CourierTelemetry telemetry, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _log = log;
        _options = options;
        _telemetry = telemetry;
        _telemetry.LearnSchemas(options);
        _timeProvider = timeProvider;
        _producerInfo = new ProducerInfo(options.ProducerName, options.ProducerVersion);
        _producer = log.CreateProducer();
        _topics = new JobTopics(log, options);
    }

    /// <summary>Enqueues one job; completes when it is durable in the log.</summary>
    /// <exception cref="ArgumentException">The type, database or id is invalid; the message names the field.</exception>
    /// <exception cref="JobEncodingException">The params are not a JSON object, or the event is too large.</exception>
    /// <exception cref="JobContractException">
    /// With <see cref="CourierOptions.ParamsSchemas"/>: the params break the schema of their version (the message names
    /// the type, the version, each field and rule), the version is unknown, or a required schema is missing.
    /// </exception>
    public async ValueTask<EnqueuedJob> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var jobs = await EnqueueCoreAsync([request], single: true, cancellationToken);
        return jobs[0];
    }

    /// <summary>
    /// Enqueues a batch in one append; completes when all are durable. Every request is checked and encoded
    /// first: nothing is appended if any is invalid (the exception names it as <c>requests[i].field</c>).
    /// Requests without a <see cref="JobRequest.RequestId"/> share one new request id, as jobs pushed by one
    /// MediaWiki web request did. Returns one <see cref="EnqueuedJob"/> per request, in order.
    /// </summary>
    public async ValueTask<IReadOnlyList<EnqueuedJob>> EnqueueBatchAsync(
        IReadOnlyList<JobRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return requests.Count == 0 ? [] : await EnqueueCoreAsync(requests, single: false, cancellationToken);
    }

    /// <summary>
    /// Builds the event a request becomes, without appending it: the same checks as enqueueing except the size
    /// limit, which needs the encoded bytes.
    /// </summary>
    public JobEvent BuildEvent(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _timeProvider.GetUtcNow();
        ValidateRequest(request, 0, single: true, now);
        var id = NewId(request, 0, single: true, now);
        var parameters = ParamsElement(request, 0, single: true);
        var version = ParamsVersionFor(request);
        if (NeedsContractCheck(request))
        {
            CheckContract(request, version, parameters, 0, single: true);
        }
        return new JobEvent
        {
            Schema = JobEventCodec.SchemaUri,
            Meta = NewMeta(request, id, now, _topics.For(request.Type), request.RequestId ?? NewRequestId(), version),
            Database = request.Database,
            Type = request.Type,
            Params = parameters,
            DelayUntil = request.DelayUntil,
            Sha1 = request.Deduplicate ? DeduplicationKey.Compute(request.Type, parameters) : null,
            RootEvent = request.RootEvent,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _producer.Dispose();
        Interlocked.Exchange(ref _cachedBuffer, null)?.Dispose();
    }

    private async ValueTask<IReadOnlyList<EnqueuedJob>> EnqueueCoreAsync(
        IReadOnlyList<JobRequest> requests, bool single, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = requests.Count;
        var ids = new string[count];
        var records = new OutgoingRecord[count];
        var bytes = EncodeAll(requests, single, ids, records);
        IReadOnlyList<TopicPartitionOffset> positions;
        try
        {
            await _topics.EnsureAsync(records, cancellationToken);
            positions = await _producer.ProduceAsync(records, cancellationToken);
        }
        finally
        {
            // The log has copied the values once ProduceAsync is over (IJobLogProducer's contract). A pooled
            // buffer keeps bulk enqueue from allocating a large-object-heap array, and a gen-2 GC, per batch.
            ArrayPool<byte>.Shared.Return(bytes);
        }
        if (positions.Count != count)
        {
            throw new JobLogException($"the {_log.EngineName} producer returned {positions.Count} positions for {count} records");
        }

        var jobs = new EnqueuedJob[count];
        for (var i = 0; i < count; i++)
        {
            jobs[i] = new EnqueuedJob(ids[i], requests[i].Type, positions[i]);
        }
        CountEnqueued(requests);
        return jobs;
    }

    /// <summary>Encodes every request into one buffer, then hands out slices of a single pooled array as record values.</summary>
    private byte[] EncodeAll(IReadOnlyList<JobRequest> requests, bool single, string[] ids, OutgoingRecord[] records)
    {
        var count = requests.Count;
        var now = _timeProvider.GetUtcNow();
        string? batchRequestId = null;
        var ends = new int[count];
        var topics = new string[count];
        var buffer = Interlocked.Exchange(ref _cachedBuffer, null) ?? new EncodeBuffer();
        byte[] bytes;
        try
        {
            buffer.Restart();
            for (var i = 0; i < count; i++)
            {
                var request = requests[i] ?? throw new ArgumentException($"{Where(i, single)} is null", ParamName(single));
                ValidateRequest(request, i, single, now);
                ids[i] = NewId(request, i, single, now);
                topics[i] = _topics.For(request.Type);
                var requestId = request.RequestId ?? (batchRequestId ??= NewRequestId());
                var version = ParamsVersionFor(request);
                EncodeOne(buffer, request, i, single, NewMeta(request, ids[i], now, topics[i], requestId, version));
                ends[i] = buffer.Output.WrittenCount;
            }
            bytes = ArrayPool<byte>.Shared.Rent(buffer.Output.WrittenCount);
            buffer.Output.WrittenSpan.CopyTo(bytes);
        }
        finally
        {
            if (buffer.Reusable && !_disposed)
            {
                Volatile.Write(ref _cachedBuffer, buffer);
            }
            else
            {
                buffer.Dispose();
            }
        }

        var headers = TraceHeaders();
        var start = 0;
        for (var i = 0; i < count; i++)
        {
            records[i] = new OutgoingRecord(topics[i], requests[i].Database, bytes.AsMemory(start, ends[i] - start), headers);
            start = ends[i];
        }
        return bytes;
    }

    private void EncodeOne(EncodeBuffer buffer, JobRequest request, int index, bool single, JobMeta meta)
    {
        var start = buffer.Output.WrittenCount;
        var writer = buffer.Continue();
        JobEventWriter.WriteHead(writer, JobEventCodec.SchemaUri, meta, request.Database, request.Type);
        writer.Flush();
        var paramsStart = buffer.Output.WrittenCount;
        string? sha1 = null;
        var contract = NeedsContractCheck(request);
        if (request.Deduplicate || contract)
        {
            // The key and the schema check need the params as a tree; write that same tree.
            var parameters = ParamsElement(request, index, single);
            if (contract)
            {
                CheckContract(request, meta.ParamsVersion, parameters, index, single);
            }
            if (request.Deduplicate)
            {
                sha1 = DeduplicationKey.Compute(request.Type, parameters);
            }
            JobEventWriter.WriteParams(writer, parameters);
        }
        else
        {
            WriteParams(writer, request, index, single);
        }
        writer.Flush();
        var written = buffer.Output.WrittenSpan[paramsStart..];
        if (written.IsEmpty || written[0] != (byte)'{')
        {
            throw new JobEncodingException($"{Where(index, single)}.params: must be a JSON object, got {KindOfJson(written)}");
        }
        try
        {
            JobEventCodec.CheckParams(written, "params");
        }
        catch (JobEncodingException e)
        {
            // Named per request only when something is wrong: no strings built on the happy path.
            throw new JobEncodingException($"{Where(index, single)}.{e.Message}", e.InnerException ?? e);
        }
        JobEventWriter.WriteTail(writer, null, null, request.DelayUntil, sha1, request.RootEvent, null);
        writer.Flush();
        var size = buffer.Output.WrittenCount - start;
        if (size > _options.MaxEventBytes)
        {
            JobEventCodec.CheckSize(size, _options.MaxEventBytes, $"{Where(index, single)}: event");
        }
    }

    /// <summary>Serializes params straight into the event: no intermediate tree on the common path.</summary>
    private void WriteParams(Utf8JsonWriter writer, JobRequest request, int index, bool single)
    {
        switch (request.Params)
        {
            case null:
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            case JsonElement element:
                JobEventWriter.WriteParams(writer, CheckObject(element, index, single));
                return;
            case JsonDocument document:
                JobEventWriter.WriteParams(writer, CheckObject(document.RootElement, index, single));
                return;
            default:
                try
                {
                    JsonSerializer.Serialize(writer, request.Params, request.Params.GetType(), _options.ParamsSerializerOptions);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
                {
                    throw new JobEncodingException($"{Where(index, single)}.params: cannot be serialized: {e.Message}", e);
                }
                return;
        }
    }

    /// <summary>The params as a JSON element that stays valid after the caller's document is disposed.</summary>
    private JsonElement ParamsElement(JobRequest request, int index, bool single)
    {
        switch (request.Params)
        {
            case null:
                return JobEventReader.EmptyObject;
            case JsonElement element:
                return CheckObject(element, index, single).Clone();
            case JsonDocument document:
                return CheckObject(document.RootElement, index, single).Clone();
            default:
                JsonElement serialized;
                try
                {
                    serialized = JsonSerializer.SerializeToElement(request.Params, request.Params.GetType(), _options.ParamsSerializerOptions);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
                {
                    throw new JobEncodingException($"{Where(index, single)}.params: cannot be serialized: {e.Message}", e);
                }
                return CheckObject(serialized, index, single);
        }
    }

    private static JsonElement CheckObject(JsonElement element, int index, bool single) =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw new JobEncodingException($"{Where(index, single)}.params: must be a JSON object, got {JsonPaths.Kind(element.ValueKind)}");

    private static void ValidateRequest(JobRequest request, int index, bool single, DateTimeOffset now)
    {
        var typeError = request.Type is null ? "must not be empty" : JobFields.TypeError(request.Type);
        if (typeError is not null)
        {
            throw new ArgumentException($"{Where(index, single)}.type: {typeError}", ParamName(single));
        }
        if (string.IsNullOrEmpty(request.Database))
        {
            throw new ArgumentException($"{Where(index, single)}.database: must not be empty", ParamName(single));
        }
        if (request.Id is { } id && !Guid.TryParse(id, out _))
        {
            throw new ArgumentException($"{Where(index, single)}.id: must be a UUID, got {JsonPaths.Quote(id)}", ParamName(single));
        }
        if (request.RootEvent is { } root && string.IsNullOrEmpty(root.Signature))
        {
            throw new ArgumentException($"{Where(index, single)}.rootEvent.signature: must not be empty", ParamName(single));
        }
        if (JobDelayLimit.Check(request.DelayUntil, now, $"{Where(index, single)}.delayUntil") is { } tooFar)
        {
            throw new ArgumentException(tooFar, ParamName(single));
        }
    }

    /// <summary>The event id: the request's (normalised to lowercase 8-4-4-4-12) or a new time-ordered UUIDv7.</summary>
    private static string NewId(JobRequest request, int index, bool single, DateTimeOffset now)
    {
        if (request.Id is null)
        {
            return Guid.CreateVersion7(now).ToString();
        }
        return Guid.TryParse(request.Id, out var id)
            ? id.ToString()
            : throw new ArgumentException($"{Where(index, single)}.id: must be a UUID", ParamName(single));
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    private JobMeta NewMeta(JobRequest request, string id, DateTimeOffset now, string topic, string requestId, string? paramsVersion) => new()
    {
        Id = id,
        Dt = now,
        Stream = topic,
        Domain = request.Database,
        RequestId = requestId,
        Producer = _producerInfo,
        ParamsVersion = paramsVersion,
    };

    /// <summary>The request's params version, or (with a schema registry) its type's newest when it names none.</summary>
    private string? ParamsVersionFor(JobRequest request) =>
        request.ParamsVersion ?? _options.ParamsSchemas?.GetLatest(request.Type)?.VersionText;

    /// <summary>
    /// True when the request's params must be checked: a registry is set and the type has schemas (or schemas are
    /// required, so a type without one is refused). Without a registry this is one null check.
    /// </summary>
    private bool NeedsContractCheck(JobRequest request) =>
        _options.ParamsSchemas is { } schemas && (_options.RequireParamsSchemas || schemas.HasSchemas(request.Type));

    private void CheckContract(JobRequest request, string? version, JsonElement parameters, int index, bool single)
    {
        var check = _options.ParamsSchemas!.Check(request.Type, version, parameters, _options.RequireParamsSchemas, _options.RequireParamsVersion);
        if (check.IsAccepted)
        {
            return;
        }
        var field = check.Outcome switch
        {
            ParamsCheckOutcome.NoSchema => "type",
            ParamsCheckOutcome.UnknownVersion or ParamsCheckOutcome.MissingVersion => "paramsVersion",
            _ => "params",
        };
        throw new JobContractException($"{Where(index, single)}.{field}: {check.Error}", request.Type, version, check);
    }

    private void CountEnqueued(IReadOnlyList<JobRequest> requests)
    {
        if (!_telemetry.Enqueued.Enabled)
        {
            return;
        }
        // Batches are usually of one type: count runs of equal types instead of one Add per job.
        var runStart = 0;
        for (var i = 1; i <= requests.Count; i++)
        {
            if (i == requests.Count || !string.Equals(requests[i].Type, requests[runStart].Type, StringComparison.Ordinal))
            {
                _telemetry.Enqueued.Add(i - runStart, new KeyValuePair<string, object?>(JobTypeTag, requests[runStart].Type));
                runStart = i;
            }
        }
    }

    /// <summary>W3C trace context of the enqueuing operation, carried in record headers to the execution.</summary>
    private static LogHeader[]? TraceHeaders() => Telemetry.TraceHeaders.Of(Activity.Current);

    private static string KindOfJson(ReadOnlySpan<byte> json) => json.IsEmpty ? "nothing" : json[0] switch
    {
        (byte)'[' => "array",
        (byte)'"' => "string",
        (byte)'t' or (byte)'f' => "boolean",
        (byte)'n' => "null",
        _ => "number",
    };

    private static string Where(int index, bool single) =>
        single ? "request" : string.Create(CultureInfo.InvariantCulture, $"requests[{index}]");

    private static string ParamName(bool single) => single ? "request" : "requests";
}
