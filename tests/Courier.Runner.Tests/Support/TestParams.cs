namespace Courier.Runner.Tests.Support;

/// <summary>Params of the test job type: <see cref="Mode"/> says what <see cref="TestHandler"/> does.</summary>
public sealed record TestParams(string Mode, string? Message = null);
