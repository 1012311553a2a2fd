namespace Courier.EndToEnd.Incident;

/// <summary>
/// massMessage params 1.0.0: the page the message goes to is not here but in the event's top-level
/// <c>page_namespace</c>/<c>page_title</c>, as MediaWiki wrote every job before 1.34.0-wmf.1.
/// </summary>
public sealed record MassMessageParamsV1(string Recipient, string Subject, string Message, string Sender);
