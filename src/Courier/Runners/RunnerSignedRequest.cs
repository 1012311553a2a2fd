using System.Globalization;
using Courier.Runners;

namespace Courier;

/// <summary>
/// What a protocol v2 signature covers besides the body: the values as they travel on the wire, so a runner rebuilds
/// this from the request it received and a dispatcher from the request it sends (docs/runners.md, "Signature v2").
/// </summary>
/// <param name="Timestamp"><see cref="RunnerProtocol.TimestampHeader"/>: Unix seconds at signing.</param>
/// <param name="Method">The request method as sent (<c>POST</c>).</param>
/// <param name="PathAndQuery">The request target as sent: the escaped path and the query with its <c>?</c>, if any.</param>
/// <param name="Host">The authority the dispatcher addressed (the <c>Host</c> header: host, and <c>:port</c> unless the scheme's default); compared in lowercase.</param>
/// <param name="KeyId"><see cref="RunnerProtocol.KeyIdHeader"/>.</param>
/// <param name="Nonce"><see cref="RunnerProtocol.NonceHeader"/>: fresh for every request, so no two requests share a signature.</param>
/// <param name="Attempt"><see cref="RunnerProtocol.AttemptHeader"/> as sent; empty when absent.</param>
/// <param name="TimeoutMs"><see cref="RunnerProtocol.TimeoutHeader"/> as sent; empty when absent.</param>
/// <param name="Probe"><see cref="RunnerProtocol.ProbeHeader"/> as sent; empty when absent (then it adds no line).</param>
public readonly record struct RunnerSignedRequest(
    long Timestamp,
    string Method,
    string PathAndQuery,
    string Host,
    string KeyId,
    string Nonce,
    string Attempt,
    string TimeoutMs,
    string Probe = "")
{
    /// <summary>
    /// The text the HMAC is computed over (UTF-8): <c>v2</c>, timestamp, method, path and query, lowercase host, key id,
    /// nonce, attempt, timeout, the probe mark when there is one, and the lowercase hex SHA-256 of <paramref name="body"/>,
    /// joined by <c>\n</c>, with no newline at the end. Without a probe mark it is the ten lines it always was.
    /// </summary>
    public string CanonicalString(ReadOnlySpan<byte> body) => string.Join('\n', Probe.Length == 0
        ? [RunnerSignature.V2, Timestamp.ToString(CultureInfo.InvariantCulture), Method, PathAndQuery, Host.ToLowerInvariant(), KeyId, Nonce,
            Attempt, TimeoutMs, SignatureHashes.Sha256Hex(body)]
        : (string[])[RunnerSignature.V2, Timestamp.ToString(CultureInfo.InvariantCulture), Method, PathAndQuery, Host.ToLowerInvariant(), KeyId,
            Nonce, Attempt, TimeoutMs, Probe, SignatureHashes.Sha256Hex(body)]);
}
