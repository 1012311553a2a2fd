using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// A runner pool's <c>signing_key</c>: <c>{id, secret}</c>, the secret as text, <c>base64:…</c>, or <c>env:NAME</c>
/// to read it from an environment variable, which loading resolves so that the file need not hold the secret.
/// </summary>
public sealed class SigningKeyConfig
{
    /// <summary><c>id</c>: the key's id, sent with each signed request.</summary>
    [ConfigurationKeyName("id")]
    public string? Id { get; init; }

    /// <summary><c>secret</c>: the secret, once loaded never <c>env:…</c>.</summary>
    [ConfigurationKeyName("secret")]
    public string? Secret { get; set; }

    /// <summary>The key requests are signed with.</summary>
    public RunnerKey ToKey() => new(Id ?? throw new InvalidOperationException("the signing key has no id"),
        Secret ?? throw new InvalidOperationException("the signing key has no secret"));
}
