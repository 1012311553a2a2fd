namespace Courier.Server.Security;

/// <summary>
/// What a bearer token may do. <see cref="Operate"/> includes <see cref="Read"/>; <see cref="Intake"/> is separate,
/// so the producers' token cannot pause a type and an operator's cannot enqueue.
/// </summary>
public enum AccessScope
{
    /// <summary>Read the admin API and the console.</summary>
    Read,

    /// <summary>Change things: pause/resume, replay, cancel, downtimes, canary resets (and read).</summary>
    Operate,

    /// <summary>Append jobs through <c>POST /v1/events</c>.</summary>
    Intake,
}
