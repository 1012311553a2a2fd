namespace Courier.Cli;

/// <summary>The command could not do what was asked, for a reason the message explains (no stack trace): exit code 1.</summary>
public sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandFailedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CommandFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public CommandFailedException(string message, Exception innerException) : base(message, innerException) { }
}
