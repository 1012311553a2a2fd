namespace Courier.EndToEnd.Incident;

/// <summary>
/// massMessage params 2.0.0: the title moved into params — as the prefixed title text only (<c>User_talk:Alice</c>),
/// the way the MassMessage job sent it in April 2019, so the namespace is no longer a field of its own.
/// </summary>
public sealed record MassMessageParamsV2(string Title, string Recipient, string Subject, string Message, string Sender);
