namespace Courier.Testing;

/// <summary>What a program run by <see cref="ChildProcess.RunBinaryAsync"/> left: its exit code, stdout as bytes, stderr as text.</summary>
public sealed record BinaryRun(int ExitCode, byte[] Stdout, string Stderr);
