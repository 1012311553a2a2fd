namespace Courier;

/// <summary>A topic and its partition count.</summary>
public sealed record TopicDescription(string Name, int Partitions);
