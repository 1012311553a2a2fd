namespace Courier.EndToEnd.BadRecords;

/// <summary>
/// A record a broken or foreign producer might write. <see cref="MessageMustContain"/>: any one of these must
/// appear in the dead letter's message, so the message names what is wrong rather than just "failed".
/// </summary>
internal sealed record BadRecord(string Name, string Topic, byte[] Value, string[] MessageMustContain, string? JobId = null);
