using System.Globalization;
using Courier.Runner.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Courier.Bench.Http;

/// <summary>
/// The bare loop's server side, <c>POST /bench/bare</c> on the runner process's Kestrel: checks the signing headers,
/// reads the body with the runner's own bounded reader, verifies the v2 signature with Courier's shared signing code
/// (<see cref="RunnerSignature.VerifyV2"/> over the <see cref="RunnerSignedRequest"/> rebuilt from the request as
/// received, as the runner does), and answers as a runner answers a job that succeeded: 200, no body, the
/// execution-limit and release headers. It does not decode the job, check its contract, take a concurrency slot, run a
/// handler, keep metrics, or remember signatures (the runner's replay cache is internal to Courier.Runner).
/// </summary>
internal sealed class BareRunnerEndpoint
{
    /// <summary>The path the bare loop POSTs to.</summary>
    public const string Path = "/bench/bare";

    private readonly Dictionary<string, RunnerKey> _keys;
    private readonly int _maxBodyBytes = new CourierOptions().MaxEventBytes;
    private readonly string _executionLimit;
    private readonly string _release = new CourierOptions().Release;

    public BareRunnerEndpoint(IReadOnlyList<RunnerKey> keys, TimeSpan executionLimit)
    {
        _keys = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _executionLimit = ((long)executionLimit.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers[RunnerProtocol.ExecutionLimitHeader] = _executionLimit;
        response.Headers[RunnerProtocol.ReleaseHeader] = _release;
        var signature = request.Headers[RunnerProtocol.SignatureHeader].ToString();
        if (!_keys.TryGetValue(request.Headers[RunnerProtocol.KeyIdHeader].ToString(), out var key)
            || !long.TryParse(request.Headers[RunnerProtocol.TimestampHeader].ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > RunnerProtocol.DefaultSignatureWindow.TotalSeconds)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var body = await BoundedBody.ReadAsync(context, _maxBodyBytes, PooledBody.Copy);
        if (body is null)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        using (body)
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            var target = rawTarget is ['/', ..] ? rawTarget : (request.PathBase + request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
            var signed = new RunnerSignedRequest(timestamp, request.Method, target, request.Headers.Host.ToString(), key.Id,
                request.Headers[RunnerProtocol.NonceHeader].ToString(), request.Headers[RunnerProtocol.AttemptHeader].ToString(),
                request.Headers[RunnerProtocol.TimeoutHeader].ToString(), request.Headers[RunnerProtocol.ProbeHeader].ToString());
            if (!RunnerSignature.VerifyV2(key.Secret, signed, body.Span, signature))
            {
                response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
    }
}
