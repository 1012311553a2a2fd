using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Courier.Runner.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Internal;

/// <summary>
/// <c>POST /v1/events</c>: a JSON array of job events, like the original's EventGate. Each event is decoded with
/// <see cref="JobEventCodec"/> exactly as the dispatcher decodes it and checked against the params schemas when they
/// are configured; the accepted ones are appended to their job topics (key: <c>database</c>) as they were posted,
/// byte for byte, and are durable in the log before the answer. 201: all accepted; 207: some; 400: none, or the body
/// is not a JSON array. Every answer has a JSON body; per-event results carry index, id and the error.
/// </summary>
internal sealed class EventIntake : IDisposable
{
    public const string Route = "/v1/events";

    private const string Accepted = "accepted";
    private const string Rejected = "rejected";

    // Errors quote names ('x'); the default encoder would write \u0027. The body is application/json, never HTML.
    private static readonly JsonWriterOptions BodyWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonReaderOptions ArrayReaderOptions = new() { MaxDepth = 66 };

    private readonly IJobLog _log;
    private readonly JobEventCodec _codec;
    private readonly CourierOptions _options;
    private readonly CourierTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly int _maxBodyBytes;
    private readonly Lazy<IJobLogProducer> _producer;
    private readonly ConcurrentDictionary<string, Task> _ensuredTopics = new(StringComparer.Ordinal);

    public EventIntake(IJobLog log, JobEventCodec codec, CourierOptions options, CourierTelemetry telemetry, ILoggerFactory loggers, int maxBodyBytes)
    {
        _log = log;
        _codec = codec;
        _options = options;
        _telemetry = telemetry;
        _logger = loggers.CreateLogger("Courier.Server.Intake");
        _maxBodyBytes = maxBodyBytes;
        _producer = new Lazy<IJobLogProducer>(log.CreateProducer, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!JsonContentType.IsJson(request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"content type '{request.ContentType}' is not application/json: post a JSON array of job events");
            return;
        }
        if (request.ContentLength > _maxBodyBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body is {request.ContentLength} bytes; the limit is {_maxBodyBytes}");
            return;
        }
        var body = await BoundedBody.ReadAsync(context, _maxBodyBytes, static buffer => buffer.ToArray());
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body is larger than the limit of {_maxBodyBytes} bytes");
            return;
        }
        if (Split(body, out var slices) is { } bodyError)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, bodyError);
            return;
        }

        var results = new EventResult[slices.Count];
        var records = new List<OutgoingRecord>(slices.Count);
        var recordIndex = new List<int>(slices.Count);
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = body.AsMemory(slices[i].Start, slices[i].Length);
            results[i] = Inspect(i, slice, out var jobEvent);
            if (jobEvent is not null)
            {
                records.Add(new OutgoingRecord(_options.Topics.JobTopic(jobEvent.Type), jobEvent.Database, slice));
                recordIndex.Add(i);
            }
        }

        if (records.Count > 0)
        {
            IReadOnlyList<TopicPartitionOffset> positions;
            try
            {
                await EnsureTopicsAsync(records, context.RequestAborted);
                positions = await _producer.Value.ProduceAsync(records, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                IntakeLog.AppendFailed(_logger, e, records.Count);
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable,
                    $"the job log did not accept the events ({e.GetType().Name}: {e.Message}); any of them may or may not have been appended");
                return;
            }
            for (var r = 0; r < recordIndex.Count; r++)
            {
                results[recordIndex[r]] = results[recordIndex[r]] with { Position = positions[r] };
            }
        }

        var status = records.Count == slices.Count ? StatusCodes.Status201Created
            : records.Count == 0 ? StatusCodes.Status400BadRequest
            : StatusCodes.Status207MultiStatus;
        Count(results);
        if (records.Count < slices.Count)
        {
            var first = results.First(r => r.Error is not null);
            IntakeLog.Rejected(_logger, slices.Count - records.Count, slices.Count, status, first.Index, first.Id, first.Type, first.Reason!, first.Error!);
        }
        else
        {
            IntakeLog.Accepted(_logger, records.Count);
        }
        await WriteResultsAsync(context, status, records.Count, results);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
    }

    /// <summary>Decodes and checks one event: accepted (the event returned) or rejected with the reason.</summary>
    private EventResult Inspect(int index, ReadOnlyMemory<byte> slice, out JobEvent? accepted)
    {
        accepted = null;
        var decoded = _codec.Decode(slice.Span);
        if (decoded.Event is not { } jobEvent)
        {
            return new EventResult(index, BestEffortId(slice), null, "malformed", decoded.Error ?? "not a job event");
        }
        if (_options.ParamsSchemas is { } schemas
            && schemas.Check(jobEvent.Type, jobEvent.Meta.ParamsVersion, jobEvent.Params, _options.RequireParamsSchemas, _options.RequireParamsVersion)
                is { IsAccepted: false } contract)
        {
            return new EventResult(index, jobEvent.Meta.Id, jobEvent.Type, contract.Reason, contract.Error!);
        }
        accepted = jobEvent;
        return new EventResult(index, jobEvent.Meta.Id, jobEvent.Type, null, null);
    }

    /// <summary>Finds each element of the top-level array; an error when the body is not a JSON array of anything.</summary>
    private static string? Split(byte[] body, out List<(int Start, int Length)> slices)
    {
        slices = [];
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return "the body is empty: post a JSON array of job events";
        }
        var reader = new Utf8JsonReader(body, ArrayReaderOptions);
        var closed = false;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return $"the body must be a JSON array of job events, got {Kind(reader.TokenType)}";
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                slices.Add((start, (int)reader.BytesConsumed - start));
            }
            closed = reader.TokenType == JsonTokenType.EndArray;
            reader.Read();
        }
        catch (JsonException e)
        {
            return closed
                ? $"the body has more after the array (at byte {reader.BytesConsumed})"
                : $"the body is not valid JSON: {e.Message}";
        }
        return slices.Count == 0 ? "the array holds no events" : null;
    }

    private static string? BestEffortId(ReadOnlyMemory<byte> slice)
    {
        try
        {
            using var document = JsonDocument.Parse(slice);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task EnsureTopicsAsync(List<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        foreach (var topic in records.Select(r => r.Topic).Distinct(StringComparer.Ordinal))
        {
            if (_ensuredTopics.TryGetValue(topic, out var ensured) && ensured.IsCompletedSuccessfully)
            {
                continue;
            }
            ensured = _ensuredTopics.GetOrAdd(topic, t => _log.EnsureTopicAsync(t, _options.DefaultPartitions).AsTask());
            try
            {
                await ensured.WaitAsync(cancellationToken);
            }
            catch (Exception) when (ensured.IsFaulted || ensured.IsCanceled)
            {
                _ensuredTopics.TryRemove(new KeyValuePair<string, Task>(topic, ensured));
                throw;
            }
        }
    }

    private void Count(EventResult[] results)
    {
        if (!_telemetry.IntakeEvents.Enabled)
        {
            return;
        }
        foreach (var result in results)
        {
            if (result.Error is null)
            {
                _telemetry.IntakeEvents.Add(1, new KeyValuePair<string, object?>("outcome", Accepted),
                    new KeyValuePair<string, object?>("job.type", result.Type));
            }
            else
            {
                // A rejected event's type is whatever the producer wrote: tagged only when the registry knows it, so a
                // stream of junk types cannot blow up the metric's cardinality.
                var type = result.Type is { } t && _options.ParamsSchemas?.HasSchemas(t) == true ? t : "other";
                _telemetry.IntakeEvents.Add(1, new KeyValuePair<string, object?>("outcome", Rejected),
                    new KeyValuePair<string, object?>("reason", result.Reason), new KeyValuePair<string, object?>("job.type", type));
            }
        }
    }

    private static async Task WriteResultsAsync(HttpContext context, int status, int accepted, EventResult[] results)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (results.Length * 128));
        using (var writer = new Utf8JsonWriter(buffer, BodyWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("accepted", accepted);
            writer.WriteNumber("rejected", results.Length - accepted);
            writer.WriteStartArray("results");
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", result.Index);
                WriteStringOrNull(writer, "id", result.Id);
                WriteStringOrNull(writer, "type", result.Type);
                if (result.Error is null)
                {
                    writer.WriteString("status", Accepted);
                    if (result.Position is { } position)
                    {
                        writer.WriteString("topic", position.Topic);
                        writer.WriteNumber("partition", position.Partition);
                        writer.WriteNumber("offset", position.Offset);
                    }
                }
                else
                {
                    writer.WriteString("status", Rejected);
                    writer.WriteString("error_class", FailureClass.Decode.ToWireName());
                    writer.WriteString("reason", result.Reason);
                    writer.WriteString("error", result.Error);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await WriteAsync(context, status, buffer);
    }

    private async Task RefuseAsync(HttpContext context, int status, string message)
    {
        IntakeLog.Refused(_logger, status, message);
        var buffer = new ArrayBufferWriter<byte>(64 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, BodyWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", status);
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }
        await WriteAsync(context, status, buffer);
    }

    private static async Task WriteAsync(HttpContext context, int status, ArrayBufferWriter<byte> buffer)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object (wrap a single event in [ ])",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>One event's outcome: accepted (no error, a position once appended) or rejected with its reason.</summary>
    private readonly record struct EventResult(int Index, string? Id, string? Type, string? Reason, string? Error)
    {
        public TopicPartitionOffset? Position { get; init; }
    }
}
