namespace Courier.Testing;

/// <summary>Params of the test job types.</summary>
public sealed record TestParams(string Name, int FailAttempts = 0, string? Fail = null, int DelayMs = 0, bool Backpressure = false);
