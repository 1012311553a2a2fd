using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Courier.Testing;

/// <summary>For stand-ins of a runner: whether a received request carries a valid protocol v2 signature under a key.</summary>
public static class RunnerSignatureCheck
{
    public static bool IsSignedBy(HttpContext context, ReadOnlySpan<byte> body, RunnerKey key)
    {
        var headers = context.Request.Headers;
        if (headers[RunnerProtocol.KeyIdHeader] != key.Id
            || !long.TryParse(headers[RunnerProtocol.TimestampHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return false;
        }
        var signed = new RunnerSignedRequest(timestamp, context.Request.Method, context.Features.Get<IHttpRequestFeature>()!.RawTarget,
            headers.Host.ToString(), key.Id, headers[RunnerProtocol.NonceHeader].ToString(), headers[RunnerProtocol.AttemptHeader].ToString(),
            headers[RunnerProtocol.TimeoutHeader].ToString());
        return RunnerSignature.VerifyV2(key.Secret, signed, body, headers[RunnerProtocol.SignatureHeader]);
    }
}
