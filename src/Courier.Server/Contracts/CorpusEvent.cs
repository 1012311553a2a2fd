namespace Courier.Server.Contracts;

/// <summary>One stored event of a golden corpus.</summary>
/// <param name="Path">The file.</param>
/// <param name="JobType">The type directory it is stored under.</param>
/// <param name="Version">The version directory it is stored under (<c>unversioned</c> for events that name none).</param>
/// <param name="Bytes">The event, byte for byte as it was recorded.</param>
internal sealed record CorpusEvent(string Path, string JobType, string Version, ReadOnlyMemory<byte> Bytes);
