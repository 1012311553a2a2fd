namespace Courier.Server.Tests.Support;

/// <summary>What a <c>courier</c> run returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);
