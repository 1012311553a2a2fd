using System.Globalization;
using Courier.Jobs;
using Courier.Runner.Authentication;
using Courier.Runner.Http;
using Courier.Runner.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Runner.Endpoint;

/// <summary>
/// The runner's POST endpoint (protocol v2, docs/runners.md): checks the request in a fixed order — method, shutdown,
/// content type, declared size, signing headers (before the body is read), size as read, signature, decode, headers, handler,
/// params contract, read-only, concurrency — then runs the handler under the
/// execution limit and answers with the status of its result. Every non-200 answer carries
/// <c>{status, error_class, message}</c>, is counted and is logged.
/// </summary>
internal sealed class RunnerEndpoint
{
    private const string Succeeded = "succeeded";
    private const string Failed = "failed";
    private const string Rejected = "rejected";

    /// <summary>Not sent: recorded in metrics when the dispatcher closed the connection before the answer (nginx's code for it).</summary>
    private const int CallerClosed = 499;

    /// <summary>How long after the execution limit a cancelled handler may take to return before the runner answers without it.</summary>
    internal static readonly TimeSpan CancellationGrace = TimeSpan.FromMilliseconds(100);

    private readonly JobHandlerRegistry _registry;
    private readonly JobGate _gate;
    private readonly TopicNames _topics;
    private readonly CourierRunnerOptions _options;
    private readonly RequestAuthenticator _authenticator;
    private readonly RunnerMetrics _metrics;
    private readonly RunnerTracing _tracing;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly int _maxBodyBytes;
    private readonly string _executionLimitHeader;
    private readonly string _release;
    private int _running;

    public RunnerEndpoint(
        JobHandlerRegistry registry,
        JobEventCodec codec,
        IOptions<CourierOptions> courierOptions,
        IOptions<CourierRunnerOptions> options,
        RequestAuthenticator authenticator,
        RunnerMetrics metrics,
        RunnerTracing tracing,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        _registry = registry;
        _gate = new JobGate(codec, courierOptions.Value);
        _topics = courierOptions.Value.Topics;
        _release = courierOptions.Value.Release;
        _options = options.Value;
        _authenticator = authenticator;
        _metrics = metrics;
        _tracing = tracing;
        _logger = loggerFactory.CreateLogger("Courier.Runner");
        _time = time;
        _lifetime = lifetime;
        _maxBodyBytes = _options.MaxBodyBytes ?? codec.MaxEventBytes;
        _executionLimitHeader = ((long)_options.ExecutionLimit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    public CourierRunnerOptions Options => _options;

    public JobHandlerRegistry Registry => _registry;

    /// <summary>The release this runner announces in <see cref="RunnerProtocol.ReleaseHeader"/>.</summary>
    public string Release => _release;

    /// <summary>Executions holding a concurrency slot now (including handlers still running past their limit).</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Logs the runner's settings once the host has started.</summary>
    public void Mapped(string path)
    {
        _lifetime.ApplicationStarted.Register(() =>
        {
            RunnerLog.Started(_logger, path, string.Join(", ", _registry.JobTypes.Order(StringComparer.Ordinal)),
                _options.RequireSignature ? $"required ({_options.Keys.Count} keys: {string.Join(", ", _options.Keys.Select(k => k.Id))})" : "not checked",
                (long)_options.ExecutionLimit.TotalMilliseconds, _options.MaxConcurrency);
            if (!_options.RequireSignature)
            {
                RunnerLog.Unsigned(_logger, path);
            }
            else if (_options.AcceptV1Signatures)
            {
                RunnerLog.AcceptsV1(_logger, path);
            }
        });
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.Headers[RunnerProtocol.ExecutionLimitHeader] = _executionLimitHeader;
        context.Response.Headers[RunnerProtocol.ReleaseHeader] = _release;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await RefuseAsync(context, StatusCodes.Status405MethodNotAllowed, FailureClass.Permanent,
                $"method {request.Method} is not allowed: POST the job event");
            return;
        }
        if (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Not run, so no attempt should be spent: backpressure, with the wait in Retry-After.
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, FailureClass.Backpressure,
                "the runner is shutting down", _options.RetryAfter);
            return;
        }
        if (!JsonContentType.IsJson(request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, FailureClass.Permanent,
                $"content type '{request.ContentType}' is not {RunnerProtocol.ContentType}");
            return;
        }
        if (request.ContentLength > _maxBodyBytes)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, FailureClass.Decode,
                $"body is {request.ContentLength} bytes; the limit is {_maxBodyBytes}");
            return;
        }
        SignedHeaders? signed = null;
        // Before the body is read: an unsigned, unknown-key, stale or replayed request never has its body in memory.
        if (_options.RequireSignature && _authenticator.CheckHeaders(request, out signed) is { } unsigned)
        {
            await RejectSignatureAsync(context, unsigned);
            return;
        }
        RequestBody? body;
        try
        {
            body = await BoundedBody.ReadAsync(context, _maxBodyBytes, RequestBody.Copy);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // The body stalled past the host's read deadline: nothing ran, and the dispatcher may send it again. The
            // rest of the body may still arrive, so the connection closes after the answer.
            context.Response.Headers.Connection = "close";
            await RefuseAsync(context, StatusCodes.Status408RequestTimeout, FailureClass.Retryable, e.Message + ": the job was not run");
            return;
        }
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, FailureClass.Decode,
                $"body is larger than the limit of {_maxBodyBytes} bytes");
            return;
        }
        var handedOff = false;
        try
        {
            handedOff = await CheckAndExecuteAsync(context, body, signed);
        }
        finally
        {
            if (!handedOff)
            {
                body.Dispose();
            }
        }
    }

    /// <summary>True when the body went to an execution, which then owns it.</summary>
    private async Task<bool> CheckAndExecuteAsync(HttpContext context, RequestBody body, SignedHeaders? signed)
    {
        var request = context.Request;
        if (signed is not null && _authenticator.Verify(context, signed, body.Span) is { } rejection)
        {
            await RejectSignatureAsync(context, rejection);
            return false;
        }

        var decoded = _gate.Decode(body.Span);
        if (decoded.Event is not { } jobEvent)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, FailureClass.Decode, decoded.Error!);
            return false;
        }
        if (!RunnerRequestHeaders.TryReadExecutionHeaders(request, out var attempt, out var timeout, out var headerError))
        {
            await FailJobAsync(context, jobEvent, 1, StatusCodes.Status400BadRequest, JobResult.Undecodable(headerError), null);
            return false;
        }
        if (!_registry.Contains(jobEvent.Type))
        {
            await FailJobAsync(context, jobEvent, attempt, StatusCodes.Status404NotFound,
                JobResult.Undecodable($"unknown job type '{jobEvent.Type}': this runner has no handler for it"), null);
            return false;
        }
        if (_gate.Check(jobEvent) is { Passed: false } contract)
        {
            // The same contract the dispatcher checks: a runner deployed with other schemas than its dispatcher still
            // refuses params it cannot read, as a decode failure the dispatcher dead-letters without retrying.
            await FailJobAsync(context, jobEvent, attempt, StatusCodes.Status400BadRequest, contract.ToJobResult(), null);
            return false;
        }
        if (_options.ReadOnly?.Invoke() == true)
        {
            await FailJobAsync(context, jobEvent, attempt, StatusCodes.Status423Locked,
                JobResult.Backpressure(_options.RetryAfter, "the runner is read-only"), null);
            return false;
        }
        if (Interlocked.Increment(ref _running) > _options.MaxConcurrency)
        {
            Interlocked.Decrement(ref _running);
            await FailJobAsync(context, jobEvent, attempt, StatusCodes.Status429TooManyRequests,
                JobResult.Backpressure(_options.RetryAfter, $"the runner is at its concurrency limit ({_options.MaxConcurrency})"), null);
            return false;
        }
        var limit = timeout is { } t && t < _options.ExecutionLimit ? t : _options.ExecutionLimit;
        await ExecuteAsync(context, jobEvent, body, attempt, limit);
        return true;
    }

    private async Task ExecuteAsync(HttpContext context, JobEvent jobEvent, RequestBody body, int attempt, TimeSpan limit)
    {
        using var activity = _tracing.Start(context, jobEvent.Type, attempt);
        var topic = _topics.JobTopic(jobEvent.Type);
        var execution = new JobExecution
        {
            Event = jobEvent,
            RawEvent = body.Memory,
            Context = new JobContext
            {
                Attempt = attempt,
                Topic = topic,
                // A runner does not know where the dispatcher read the record: partition and offset are -1.
                Source = new TopicPartitionOffset(topic, -1, -1),
                Timeout = limit,
                IsProbe = context.Request.Headers[RunnerProtocol.ProbeHeader] == "1",
            },
        };
        var limitCts = new CancellationTokenSource(limit, _time);
        // Taken before RunAsync starts: RunAsync disposes the source when the handler returns, which on a busy machine
        // can happen before this method gets past the call, and reading Token then throws ObjectDisposedException (an
        // empty 500 from Kestrel, so a job that succeeded ran again). The token itself stays usable.
        var limitToken = limitCts.Token;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(limitToken, context.RequestAborted);
        // RunAsync owns the token sources, the body and the concurrency slot: a handler that ignores its token keeps
        // them until it returns, even after the answer has gone.
        var run = RunAsync(execution, body, limitCts, cancel);
        ExecutionOutcome? outcome;
        try
        {
            outcome = await run.WaitAsync(limitToken);
        }
        catch (OperationCanceledException) when (limitToken.IsCancellationRequested)
        {
            outcome = null;
            try
            {
                // A handler that honours its token is usually done a moment later: let it finish, so it is not
                // reported as ignoring cancellation and its slot is free when the dispatcher hears back.
                await run.WaitAsync(CancellationGrace, _time);
            }
            catch (TimeoutException)
            {
                // It ignores its token: answer anyway (below); RunAsync keeps the slot until it returns.
            }
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            RunnerTracing.Failed(activity, FailureClass.Retryable);
            RunnerLog.CallerGone(_logger, jobEvent.Meta.Id, jobEvent.Type, _release, attempt);
            _metrics.Answered(jobEvent.Type, Failed, FailureClass.Retryable, CallerClosed);
            return;
        }
        if (outcome is null || (outcome.Value.Cancelled && limitToken.IsCancellationRequested))
        {
            if (!run.IsCompleted)
            {
                RunnerLog.HandlerIgnoredCancellation(_logger, jobEvent.Meta.Id, jobEvent.Type, attempt);
            }
            RunnerTracing.Failed(activity, FailureClass.Retryable);
            await FailJobAsync(context, jobEvent, attempt, StatusCodes.Status504GatewayTimeout,
                JobResult.Retry($"execution limit exceeded: the job ran longer than {limit.TotalMilliseconds:0} ms"), null, ran: true);
            return;
        }
        var (result, exception, _) = outcome.Value;
        if (result.IsSuccess)
        {
            _metrics.Answered(jobEvent.Type, Succeeded, null, StatusCodes.Status200OK);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
            return;
        }
        RunnerTracing.Failed(activity, result.Failure!.Value);
        await FailJobAsync(context, jobEvent, attempt, RunnerAnswer.StatusOf(result.Failure!.Value), result, exception, ran: true);
    }

    private async Task<ExecutionOutcome> RunAsync(JobExecution execution, RequestBody body, CancellationTokenSource limitCts, CancellationTokenSource cancel)
    {
        var type = execution.Event.Type;
        _metrics.Started(type);
        var started = _time.GetTimestamp();
        ExecutionOutcome outcome = default;
        try
        {
            // Off the request's thread at once, so a handler that blocks before its first await cannot hold the
            // answer past the execution limit.
            await Task.Yield();
            var result = await _registry.InvokeAsync(execution, cancel.Token);
            outcome = new ExecutionOutcome(result, null, false);
        }
        catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
        {
            outcome = new ExecutionOutcome(JobResult.Retry("cancelled"), e, true);
        }
#pragma warning disable CA1031 // A handler's exception is an outcome to answer with (500, 422, 429), never a crash of the runner.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = new ExecutionOutcome(JobResult.FromException(e), e, false);
        }
        finally
        {
            _metrics.Executed(type, outcome.Result.IsSuccess ? Succeeded : Failed, _time.GetElapsedTime(started));
            _metrics.Finished(type);
            Interlocked.Decrement(ref _running);
            cancel.Dispose();
            limitCts.Dispose();
            body.Dispose();
        }
        return outcome;
    }

    /// <summary>Answers, logs and counts a failure of a decoded job.</summary>
    /// <remarks><paramref name="ran"/>: the job went to the handler registry (outcome <c>failed</c>), else it was refused before (<c>rejected</c>).</remarks>
    private Task FailJobAsync(HttpContext context, JobEvent jobEvent, int attempt, int status, JobResult result, Exception? exception, bool ran = false)
    {
        var failure = result.Failure!.Value;
        var message = result.Message ?? failure.ToWireName();
        TimeSpan? retryAfter = null;
        switch (failure)
        {
            case FailureClass.Decode:
                RunnerLog.JobUndecodable(_logger, jobEvent.Meta.Id, jobEvent.Type, _release, status, failure.ToWireName(), message);
                break;
            case FailureClass.Backpressure:
                retryAfter = result.RetryAfter ?? _options.RetryAfter;
                RunnerLog.Backpressure(_logger, jobEvent.Meta.Id, jobEvent.Type, _release, status, failure.ToWireName(), RunnerAnswer.RetryAfterSeconds(retryAfter.Value), message);
                break;
            default:
                RunnerLog.JobFailed(_logger, exception is OperationCanceledException ? null : exception, jobEvent.Meta.Id, jobEvent.Type, _release, attempt,
                    status, failure.ToWireName(), message);
                break;
        }
        _metrics.Answered(jobEvent.Type, ran ? Failed : Rejected, failure, status);
        return RunnerAnswer.WriteAsync(context, status, failure, message, retryAfter);
    }

    /// <summary>Answers, logs and counts a request that failed authentication: 403, or 503 when the replay cache is full.</summary>
    private Task RejectSignatureAsync(HttpContext context, SignatureRejection rejection)
    {
        if (rejection.RetryAfter is { } wait)
        {
            return RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, FailureClass.Backpressure, rejection.Message, wait);
        }
        _metrics.SignatureRejected(rejection.Reason);
        RunnerLog.SignatureRejected(_logger, rejection.Reason, rejection.KeyId, rejection.Message);
        _metrics.Answered(null, Rejected, FailureClass.Permanent, StatusCodes.Status403Forbidden);
        return RunnerAnswer.WriteAsync(context, StatusCodes.Status403Forbidden, FailureClass.Permanent, rejection.Message, null);
    }

    /// <summary>Answers, logs and counts a request refused before its job was known.</summary>
    private Task RefuseAsync(HttpContext context, int status, FailureClass failure, string message, TimeSpan? retryAfter = null)
    {
        if (failure == FailureClass.Decode)
        {
            RunnerLog.Undecodable(_logger, _release, status, failure.ToWireName(), message);
        }
        else
        {
            RunnerLog.Refused(_logger, status, failure.ToWireName(), message);
        }
        _metrics.Answered(null, Rejected, failure, status);
        return RunnerAnswer.WriteAsync(context, status, failure, message, retryAfter);
    }
}
