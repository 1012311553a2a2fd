using Microsoft.Extensions.Time.Testing;

namespace Courier.Runner.Tests.Support;

/// <summary>A fixed clock for runner tests whose outcome depends on time (signature window, replay cache expiry).</summary>
public static class TestClock
{
    /// <summary>A whole second, so window edges in seconds are exact.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A clock standing at <see cref="Now"/> until the test advances it.</summary>
    public static FakeTimeProvider Fixed() => new(Now);
}
