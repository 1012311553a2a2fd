using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Courier.Runner.Authentication;

/// <summary>
/// Authenticates runner requests in two steps (docs/runners.md): <see cref="CheckHeaders"/> before the body is read
/// (signature present and well formed, key known, timestamp inside the window, signature not already accepted), so an
/// unauthenticated request never has its body held in memory; then <see cref="Verify"/> with the body (the MAC, then
/// the replay cache).
/// </summary>
internal sealed class RequestAuthenticator
{
    private const int MacHexLength = 64;
    private const int NonceHexLength = 32;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> UpperHexDigits = SearchValues.Create("ABCDEF");

    private readonly Dictionary<string, RunnerKey> _keys;
    private readonly bool _acceptV1;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public RequestAuthenticator(IOptions<CourierRunnerOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _keys = o.Keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        _acceptV1 = o.AcceptV1Signatures;
        _window = o.SignatureWindow;
        _time = time;
        Replays = new ReplayCache(o.ReplayCacheCapacity, o.SignatureWindow, time);
    }

    public ReplayCache Replays { get; }

    /// <summary>Checks what can be checked without the body; null when the request may be read and verified.</summary>
    public SignatureRejection? CheckHeaders(HttpRequest request, out SignedHeaders? signed)
    {
        signed = null;
        var signature = request.Headers[RunnerProtocol.SignatureHeader].ToString();
        var keyId = request.Headers[RunnerProtocol.KeyIdHeader].ToString();
        var timestampText = request.Headers[RunnerProtocol.TimestampHeader].ToString();
        var nonce = request.Headers[RunnerProtocol.NonceHeader].ToString();
        var id = keyId.Length == 0 ? null : keyId;
        var version = signature.Length > 3 && signature[2] == '=' ? signature[..2] : "";
        if (signature.Length == 0 || id is null || timestampText.Length == 0 || (version == RunnerSignature.V2 && nonce.Length == 0))
        {
            return new SignatureRejection(SignatureRejection.Missing, id,
                $"the request is not signed: {RunnerProtocol.SignatureHeader}, {RunnerProtocol.KeyIdHeader}, {RunnerProtocol.TimestampHeader} "
                + $"and (v2) {RunnerProtocol.NonceHeader} are required");
        }
        if (FormatError(signature, version, nonce) is { } formatError)
        {
            return new SignatureRejection(SignatureRejection.Invalid, id, formatError);
        }
        if (!_keys.TryGetValue(keyId, out var key))
        {
            return new SignatureRejection(SignatureRejection.UnknownKey, id, $"key id '{keyId}' is not one of this runner's keys");
        }
        if (!long.TryParse(timestampText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp))
        {
            return new SignatureRejection(SignatureRejection.Invalid, id, $"{RunnerProtocol.TimestampHeader} '{timestampText}' is not Unix seconds");
        }
        var skew = _time.GetUtcNow().ToUnixTimeSeconds() - timestamp;
        if (Math.Abs(skew) > _window.TotalSeconds)
        {
            return new SignatureRejection(SignatureRejection.Stale, id,
                $"the signature is {Math.Abs(skew)} s {(skew > 0 ? "old" : "in the future")}; the window is {_window.TotalSeconds:0} s either way");
        }
        if (Replays.AcceptedAt(signature) is { } acceptedAt)
        {
            return Replay(id, acceptedAt);
        }
        signed = new SignedHeaders(version, key, timestamp, signature, version == RunnerSignature.V2 ? nonce : "");
        return null;
    }

    /// <summary>Verifies the MAC over the request and <paramref name="body"/>, then admits the signature to the replay cache.</summary>
    public SignatureRejection? Verify(HttpContext context, SignedHeaders signed, ReadOnlySpan<byte> body)
    {
        var key = signed.Key;
        if (signed.Version == RunnerSignature.V2)
        {
            if (!RunnerSignature.VerifyV2(key.Secret, SignedRequest(context, signed), body, signed.Signature))
            {
                return new SignatureRejection(SignatureRejection.Invalid, key.Id,
                    $"the signature does not match this request (method, target, host, key id, nonce, attempt, timeout, probe mark, body) under key '{key.Id}'");
            }
        }
        else if (context.Request.Headers.ContainsKey(RunnerProtocol.ProbeHeader))
        {
            // A v1 signature does not cover the mark, and a marked job is not run: only a v2 signature may carry it.
            return new SignatureRejection(SignatureRejection.Invalid, key.Id,
                $"{RunnerProtocol.ProbeHeader} needs a v2 signature, which covers it; a v1 signature does not");
        }
        else if (!RunnerSignature.VerifyV1(key.Secret, signed.Timestamp, body, signed.Signature))
        {
            return new SignatureRejection(SignatureRejection.Invalid, key.Id, $"the v1 signature does not match the body and timestamp under key '{key.Id}'");
        }
        return Replays.TryAdd(signed.Signature, signed.Timestamp, out var acceptedAt, out var retryAfter) switch
        {
            ReplayAdmission.Added => null,
            ReplayAdmission.Replayed => Replay(key.Id, acceptedAt),
            _ => new SignatureRejection(SignatureRejection.ReplayCacheFull, key.Id,
                "the runner's replay cache is full (signatures accepted inside the window); retry later, signed afresh", retryAfter),
        };
    }

    /// <summary>What the request says it is, as received: the counterpart of what the dispatcher signed.</summary>
    private static RunnerSignedRequest SignedRequest(HttpContext context, SignedHeaders signed)
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var target = rawTarget is ['/', ..]
            ? rawTarget
            : (request.PathBase + request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        return new RunnerSignedRequest(signed.Timestamp, request.Method, target, request.Headers.Host.ToString(), signed.Key.Id, signed.Nonce,
            request.Headers[RunnerProtocol.AttemptHeader].ToString(), request.Headers[RunnerProtocol.TimeoutHeader].ToString(),
            request.Headers[RunnerProtocol.ProbeHeader].ToString());
    }

    private string? FormatError(string signature, string version, string nonce)
    {
        if (version == RunnerSignature.V1 && !_acceptV1)
        {
            return "protocol v1 signatures are not accepted by this runner (AcceptV1Signatures is off): the dispatcher must sign v2";
        }
        if (version != RunnerSignature.V2 && version != RunnerSignature.V1)
        {
            return $"{RunnerProtocol.SignatureHeader} must be v2=<{MacHexLength} lowercase hex digits>";
        }
        if (HexError(signature.AsSpan(3), MacHexLength) is { } macError)
        {
            return $"{RunnerProtocol.SignatureHeader}: {macError}";
        }
        return version == RunnerSignature.V2 && HexError(nonce, NonceHexLength) is { } nonceError
            ? $"{RunnerProtocol.NonceHeader}: {nonceError}"
            : null;
    }

    /// <summary>Lowercase hex only: one spelling per value, so a signature's text is its identity in the replay cache.</summary>
    private static string? HexError(ReadOnlySpan<char> hex, int length)
    {
        if (hex.Length != length || hex.ContainsAnyExcept(HexDigits))
        {
            return $"expected {length} lowercase hex digits";
        }
        return hex.ContainsAny(UpperHexDigits) ? "hex digits must be lowercase" : null;
    }

    private static SignatureRejection Replay(string? keyId, DateTimeOffset acceptedAt) =>
        new(SignatureRejection.Replayed, keyId,
            $"replayed request: this signature was already accepted at {acceptedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}; "
            + "every request must be signed afresh");
}
