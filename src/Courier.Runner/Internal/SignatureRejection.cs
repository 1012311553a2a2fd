namespace Courier.Runner.Internal;

/// <summary>Why a request's signature was refused: a metric tag (<see cref="Reason"/>) and a message for the 403 body.</summary>
internal readonly record struct SignatureRejection(string Reason, string? KeyId, string Message)
{
    public const string Missing = "missing";
    public const string Invalid = "invalid";
    public const string Stale = "stale";
    public const string UnknownKey = "unknown_key";
}
