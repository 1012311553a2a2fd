namespace Courier.Kafka.Tests.Dispatching;

/// <summary>Params of the test job types.</summary>
public sealed record TestParams(string Name, int FailAttempts = 0, string? Fail = null);
