namespace Courier.Packaging.Tests;

/// <summary>One fenced code block of a Markdown guide: its language (<c>csharp</c>, <c>sh</c>) and text.</summary>
/// <param name="Line">The line of its opening fence, 1-based, for messages.</param>
public sealed record GuideCodeBlock(string Language, string Text, int Line);
