using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Courier.Jobs;
using Courier.Runner.Http;
using Courier.Server.Hosting;
using Courier.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Intake;

/// <summary>
/// <c>POST /v1/events</c>: a JSON array of job events, or one job event object (answered as an array of one: the same
/// results document, with the result at index 0), like the original's EventGate. Each event is decoded with
/// <see cref="JobEventCodec"/> exactly as the dispatcher decodes it and checked against the params schemas when they
/// are configured; the accepted ones are appended to their job topics (key: <c>database</c>) as they were posted,
/// byte for byte, and are durable in the log before the answer. 201: all accepted; 207: some; 400: none, or the body
/// is neither an object nor an array; 413: more than the body or event limit. Every answer has a JSON body; per-event
/// results carry index, id and the error (<see cref="IntakeAnswer"/>: streamed, the error text of the first rejections
/// only). One request holds at most its body (a copy from <see cref="IntakeBuffers"/>) and a result per event.
/// </summary>
internal sealed class EventIntake : IDisposable
{
    public const string Route = "/v1/events";

    private const string Accepted = "accepted";
    private const string Rejected = "rejected";

    private readonly IJobLog _log;
    private readonly JobGate _gate;
    private readonly CourierOptions _options;
    private readonly CourierTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly int _maxBodyBytes;
    private readonly int _maxEvents;
    private readonly IntakeBuffers _buffers;
    private readonly Lazy<IJobLogProducer> _producer;
    private readonly ConcurrentDictionary<string, Task> _ensuredTopics = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public EventIntake(IJobLog log, JobEventCodec codec, CourierOptions options, CourierTelemetry telemetry, ILoggerFactory loggers, int maxBodyBytes, int maxEvents,
        TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _log = log;
        _gate = new JobGate(codec, options);
        _options = options;
        _telemetry = telemetry;
        _logger = loggers.CreateLogger("Courier.Server.Intake");
        _maxBodyBytes = maxBodyBytes;
        _maxEvents = maxEvents;
        _buffers = new IntakeBuffers(maxBodyBytes, maxEvents);
        _producer = new Lazy<IJobLogProducer>(log.CreateProducer, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!JsonContentType.IsJson(request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"content type '{request.ContentType}' is not application/json: post a job event or a JSON array of job events");
            return;
        }
        if (request.ContentLength > _maxBodyBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body is {request.ContentLength} bytes; the limit is {_maxBodyBytes}");
            return;
        }
        // The request's one large buffer, back in the intake's pool once the answer is written.
        var length = 0;
        byte[]? array;
        try
        {
            array = await BoundedBody.ReadAsync(context, _maxBodyBytes, buffer =>
            {
                length = (int)buffer.Length;
                return _buffers.CopyBody(buffer);
            });
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // The rest of the body may still come: the connection closes after the answer.
            context.Response.Headers.Connection = "close";
            await RefuseAsync(context, StatusCodes.Status408RequestTimeout, e.Message + ": nothing was appended; post the events again");
            return;
        }
        if (array is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"body is larger than the limit of {_maxBodyBytes} bytes");
            return;
        }
        try
        {
            await HandleBodyAsync(context, array.AsMemory(0, length));
        }
        finally
        {
            _buffers.ReturnBody(array);
        }
    }

    private async Task HandleBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var slices = new List<(int Start, int Length)>();
        if (IntakeBody.Split(body.Span, _maxEvents, slices) is { } refusal)
        {
            await RefuseAsync(context, refusal.Status, refusal.Message);
            return;
        }
        var results = _buffers.RentResults(slices.Count);
        try
        {
            await AppendAsync(context, body, slices, results.AsMemory(0, slices.Count));
        }
        finally
        {
            _buffers.ReturnResults(results);
        }
    }

    /// <summary>
    /// The trace context the accepted events carry into the log, so the dispatcher's execution joins the poster's
    /// trace as it joins a client's: the request's own W3C <c>traceparent</c>/<c>tracestate</c> when valid, else the
    /// request's activity when one is being recorded, else none.
    /// </summary>
    private static LogHeader[]? TraceContextOf(HttpContext context) =>
        TraceHeaders.Of(context.Request.Headers[TraceHeaders.Traceparent].FirstOrDefault(), context.Request.Headers[TraceHeaders.Tracestate].FirstOrDefault())
        ?? TraceHeaders.Of(Activity.Current);

    /// <summary>Checks every event, appends the accepted ones and answers 201, 207 or 400 with the results.</summary>
    private async Task AppendAsync(HttpContext context, ReadOnlyMemory<byte> body, List<(int Start, int Length)> slices, Memory<IntakeEventResult> results)
    {
        var records = new List<OutgoingRecord>(slices.Count);
        var recordIndex = new List<int>(slices.Count);
        var traceHeaders = TraceContextOf(context);
        var now = _time.GetUtcNow();
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = body.Slice(slices[i].Start, slices[i].Length);
            results.Span[i] = Inspect(_gate, now, i, slice, out var jobEvent);
            if (jobEvent is not null)
            {
                records.Add(new OutgoingRecord(_options.Topics.JobTopic(jobEvent.Type), jobEvent.Database, slice, traceHeaders));
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
                ref var result = ref results.Span[recordIndex[r]];
                result = result with { Position = positions[r] };
            }
        }

        var status = records.Count == slices.Count ? StatusCodes.Status201Created
            : records.Count == 0 ? StatusCodes.Status400BadRequest
            : StatusCodes.Status207MultiStatus;
        Count(results.Span);
        if (records.Count < slices.Count)
        {
            var first = FirstRejected(results.Span);
            IntakeLog.Rejected(_logger, slices.Count - records.Count, slices.Count, status, first.Index, first.Id, first.Type, first.Reason!, first.Error!);
        }
        else
        {
            IntakeLog.Accepted(_logger, records.Count);
        }
        await IntakeAnswer.WriteResultsAsync(context, status, records.Count, results);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Dispose();
        }
    }

    /// <summary>Decodes and checks one event (and its delay against <paramref name="now"/>): accepted (the event returned) or rejected with the reason. Also the intake fuzz target's.</summary>
    internal static IntakeEventResult Inspect(JobGate jobGate, DateTimeOffset now, int index, ReadOnlyMemory<byte> slice, out JobEvent? accepted)
    {
        accepted = null;
        var gate = jobGate.Inspect(slice.Span);
        if (gate.Event is not { } jobEvent)
        {
            return new IntakeEventResult(index, BestEffortId(slice), null, gate.Reason, gate.Error);
        }
        if (gate.Passed && JobDelayLimit.Check(jobEvent.DelayUntil, now) is { } tooFar)
        {
            // The dispatcher would dead-letter it (JobDelayLimit): refused here, where the producer hears why.
            return new IntakeEventResult(index, jobEvent.Meta.Id, jobEvent.Type, JobDelayLimit.Reason, tooFar);
        }
        if (gate.Passed)
        {
            accepted = jobEvent;
        }
        return new IntakeEventResult(index, jobEvent.Meta.Id, jobEvent.Type, gate.Reason, gate.Error);
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
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // JsonDocument.Parse does not check UTF-8 inside strings; GetString does, and throws
            // InvalidOperationException for an id that is not UTF-8. Found by fuzzing (fuzz/regressions/intake/): before,
            // it escaped the endpoint as an empty 500 and none of the body's events were checked or appended.
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

    private static IntakeEventResult FirstRejected(ReadOnlySpan<IntakeEventResult> results)
    {
        foreach (var result in results)
        {
            if (result.Error is not null)
            {
                return result;
            }
        }
        throw new InvalidOperationException("no rejected event");
    }

    private void Count(ReadOnlySpan<IntakeEventResult> results)
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

    private async Task RefuseAsync(HttpContext context, int status, string message)
    {
        IntakeLog.Refused(_logger, status, message);
        await JsonErrorAnswer.WriteAsync(context, status, message);
    }
}
