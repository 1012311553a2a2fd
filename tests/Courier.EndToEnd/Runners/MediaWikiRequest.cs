namespace Courier.EndToEnd.Runners;

/// <summary>One request the MediaWiki stand-in got.</summary>
/// <param name="JobId">The event's <c>meta.id</c>, when it had one.</param>
/// <param name="Call">How many requests for this job id the stand-in has had, this one included.</param>
/// <param name="ContentType">The request's content type.</param>
/// <param name="Body">The request body.</param>
/// <param name="Signed">Whether it carried a <c>Courier-Signature</c>.</param>
/// <param name="Attempt">Its <c>Courier-Attempt</c> header.</param>
internal sealed record MediaWikiRequest(string? JobId, int Call, string? ContentType, byte[] Body, bool Signed, string Attempt);
