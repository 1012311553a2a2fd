namespace Courier.Runner.Authentication;

/// <summary>
/// Why a request was not authenticated: a metric tag (<see cref="Reason"/>) and a message for the answer's body.
/// Answered 403 <c>permanent</c>, except when <see cref="RetryAfter"/> is set: the request may be fine but the replay
/// cache is full, answered 503 <c>backpressure</c>.
/// </summary>
internal readonly record struct SignatureRejection(string Reason, string? KeyId, string Message, TimeSpan? RetryAfter = null)
{
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string Stale = "stale";
    public const string UnknownKey = "unknown_key";
    public const string Replayed = "replayed";
    public const string ReplayCacheFull = "replay_cache_full";
}
