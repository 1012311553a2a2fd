namespace Courier.Server.Intake;

/// <summary>Why the intake refuses a whole request before looking at its events: the status and the message.</summary>
internal readonly record struct IntakeRefusal(int Status, string Message);
