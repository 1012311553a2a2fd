namespace Courier.Runner.Authentication;

/// <summary>A request's signing headers, checked before its body is read: well formed, a known key, a fresh timestamp.</summary>
/// <param name="Version"><see cref="RunnerSignature.V2"/> or (when accepted) <see cref="RunnerSignature.V1"/>.</param>
/// <param name="Key">The runner's key named by <see cref="RunnerProtocol.KeyIdHeader"/>.</param>
/// <param name="Timestamp"><see cref="RunnerProtocol.TimestampHeader"/>, inside the signature window.</param>
/// <param name="Signature">The whole <see cref="RunnerProtocol.SignatureHeader"/> value: version, <c>=</c>, 64 lowercase hex digits.</param>
/// <param name="Nonce"><see cref="RunnerProtocol.NonceHeader"/> (v2; empty for v1).</param>
internal sealed record SignedHeaders(string Version, RunnerKey Key, long Timestamp, string Signature, string Nonce);
