namespace Courier;

/// <summary>Runner signing keys as <see cref="RunnerKeySource"/> read them, and where they came from.</summary>
/// <param name="Keys">The keys, at least one; dispatchers sign with the first, runners accept all of them.</param>
/// <param name="Origin">
/// <see cref="RunnerKey.EnvironmentVariable"/>, or the full path of the key file.
/// </param>
/// <param name="FromEnvironment">True when the keys came from the environment variable.</param>
public sealed record RunnerKeySet(IReadOnlyList<RunnerKey> Keys, string Origin, bool FromEnvironment)
{
    /// <summary>The key dispatchers sign with: the first.</summary>
    public RunnerKey SigningKey => Keys[0];
}
