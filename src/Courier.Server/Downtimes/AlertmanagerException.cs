using System.Net;

namespace Courier.Server.Downtimes;

/// <summary>Alertmanager could not be reached, or refused a request; the message says which and includes its answer.</summary>
internal sealed class AlertmanagerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertmanagerException() { }

    /// <summary>Creates the exception with a message.</summary>
    public AlertmanagerException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public AlertmanagerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for an answer.</summary>
    public AlertmanagerException(string message, HttpStatusCode status) : base(message) => Status = status;

    /// <summary>The HTTP status Alertmanager answered with, or null when there was no answer.</summary>
    public HttpStatusCode? Status { get; }
}
