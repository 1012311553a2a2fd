namespace Courier.Chaos.Faults;

/// <summary>The names faults are printed and counted under.</summary>
internal static class FaultNames
{
    /// <summary>The printed name of <paramref name="kind"/>.</summary>
    public static string Of(FaultKind kind) => kind switch
    {
        FaultKind.KillDispatcher => "kill-dispatcher",
        FaultKind.KillRunner => "kill-runner",
        FaultKind.RunnerStorm => "runner-503-storm",
        FaultKind.RunnerSlow => "runner-slow",
        FaultKind.SqliteBusy => "sqlite-busy",
        FaultKind.DiskFull => "disk-full",
        FaultKind.BrokerDown => "broker-down",
        FaultKind.RequestErrors => "request-errors",
        _ => kind.ToString(),
    };
}
