namespace Courier.Server.Demo;

/// <summary>A message delivered to a talk page by a <c>massMessage</c> job.</summary>
/// <param name="JobId">The job that delivered it.</param>
/// <param name="Recipient">Who receives it.</param>
/// <param name="Title">The talk page (prefixed DB key).</param>
/// <param name="Subject">Section heading.</param>
/// <param name="Body">Message text.</param>
internal sealed record InboxMessage(string JobId, string Recipient, string Title, string Subject, string Body);
