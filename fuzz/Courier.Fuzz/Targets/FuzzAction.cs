namespace Courier.Fuzz.Targets;

/// <summary>
/// One run of a fuzz target over one input. Returns normally for every input, including refused ones (the edge's
/// documented errors are caught inside the target); anything it throws is a bug: an unexpected exception, or a
/// <see cref="FuzzInvariantException"/> when an answer breaks the edge's own promise.
/// </summary>
/// <param name="input">The raw bytes, as the edge would receive them.</param>
public delegate void FuzzAction(ReadOnlySpan<byte> input);
