namespace Courier;

/// <summary>
/// Runner keys cannot be read (<see cref="RunnerKeySource"/>): the environment variable or key file is malformed or
/// empty, or the file is missing, unreadable or open to other users. The message names the origin and never a secret.
/// </summary>
public sealed class RunnerKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunnerKeyException() : this("runner keys", "cannot be read") { }

    /// <summary>Creates the exception with a message.</summary>
    public RunnerKeyException(string message) : this("runner keys", message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public RunnerKeyException(string message, Exception innerException) : this("runner keys", message, fromEnvironment: false, innerException) { }

    /// <summary>Creates the exception for keys from <paramref name="origin"/>.</summary>
    public RunnerKeyException(string origin, string problem, bool fromEnvironment = false, Exception? innerException = null)
        : base($"{origin}: {problem}", innerException)
    {
        Origin = origin;
        Problem = problem;
        FromEnvironment = fromEnvironment;
    }

    /// <summary><see cref="RunnerKey.EnvironmentVariable"/>, or the full path of the key file.</summary>
    public string Origin { get; }

    /// <summary>What is wrong, without the origin.</summary>
    public string Problem { get; }

    /// <summary>True when the keys were to come from the environment variable.</summary>
    public bool FromEnvironment { get; }
}
