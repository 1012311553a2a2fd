namespace Courier.Fuzz.Targets;

/// <summary>A named fuzz target: the input edge it attacks and the one static method that runs an input through it.</summary>
/// <param name="Name">The name used by fuzz/run.sh and the corpus folder: fuzz/corpus/&lt;name&gt;/.</param>
/// <param name="Edge">What the bytes are, in a few words.</param>
/// <param name="Run">The target method, shared by the AFL entry point and the corpus replay test.</param>
public sealed record FuzzTarget(string Name, string Edge, FuzzAction Run);
