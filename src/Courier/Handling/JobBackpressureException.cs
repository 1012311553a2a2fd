namespace Courier;

/// <summary>Thrown by a handler when a dependency is overloaded or read-only; the job is retried later without spending an attempt.</summary>
public class JobBackpressureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JobBackpressureException() { }

    /// <summary>Creates the exception with a message.</summary>
    public JobBackpressureException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public JobBackpressureException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a wait.</summary>
    public JobBackpressureException(TimeSpan retryAfter, string message) : base(message) => RetryAfter = retryAfter;

    /// <summary>How long to wait before trying again.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(30);
}
