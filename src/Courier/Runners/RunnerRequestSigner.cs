using System.Globalization;
using System.Security.Cryptography;

namespace Courier;

/// <summary>Signs an outgoing runner request with protocol v2 (<see cref="RunnerSignature.ComputeV2"/>).</summary>
public static class RunnerRequestSigner
{
    /// <summary>
    /// Adds <see cref="RunnerProtocol.TimestampHeader"/>, <see cref="RunnerProtocol.KeyIdHeader"/>,
    /// <see cref="RunnerProtocol.NonceHeader"/> and <see cref="RunnerProtocol.SignatureHeader"/> to <paramref name="request"/>,
    /// signing its method, URI, <c>Courier-Attempt</c>, <c>Courier-Timeout-Ms</c> and <c>Courier-Probe</c> as already set,
    /// and <paramref name="body"/>.
    /// Every call signs afresh: a new nonce (unless <paramref name="nonce"/> is given, for tests), so a retry never
    /// repeats an earlier signature even within the same second.
    /// </summary>
    public static void Sign(HttpRequestMessage request, RunnerKey key, long unixSeconds, ReadOnlySpan<byte> body, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("the request URI must be absolute: its host is signed", nameof(request));
        }
        var headers = request.Headers;
        var signed = new RunnerSignedRequest(
            unixSeconds,
            request.Method.Method,
            uri.PathAndQuery,
            headers.Host ?? uri.Authority,
            key.Id,
            nonce ?? NewNonce(),
            Header(request, RunnerProtocol.AttemptHeader),
            Header(request, RunnerProtocol.TimeoutHeader),
            Header(request, RunnerProtocol.ProbeHeader));
        headers.TryAddWithoutValidation(RunnerProtocol.TimestampHeader, unixSeconds.ToString(CultureInfo.InvariantCulture));
        headers.TryAddWithoutValidation(RunnerProtocol.KeyIdHeader, key.Id);
        headers.TryAddWithoutValidation(RunnerProtocol.NonceHeader, signed.Nonce);
        headers.TryAddWithoutValidation(RunnerProtocol.SignatureHeader, RunnerSignature.ComputeV2(key.Secret, signed, body));
    }

    /// <summary>16 random bytes in lowercase hex.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.NonValidated.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
