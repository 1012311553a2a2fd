namespace Courier.Cli;

/// <summary>The user asked for something invalid (bad input value, conflicting flags): exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageException() { }

    /// <summary>Creates the exception with a message.</summary>
    public UsageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
