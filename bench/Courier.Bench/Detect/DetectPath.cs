namespace Courier.Bench.Detect;

/// <summary>One way a person learns of the failing type, and the most seconds it may take (issue 11).</summary>
internal sealed record DetectPath(string Name, double TargetSeconds)
{
    /// <summary>The built-in watcher's alert listed firing by <c>GET /v1/alerts</c> (polled every 100 ms).</summary>
    public static readonly DetectPath BuiltInList = new("built-in: GET /v1/alerts", 15);

    /// <summary>The built-in watcher's delivery to its webhook (<c>alerting.webhooks</c>).</summary>
    public static readonly DetectPath BuiltInWebhook = new("built-in: webhook", 15);

    /// <summary>Prometheus lists the alert firing (<c>/api/v1/alerts</c>, polled every 100 ms).</summary>
    public static readonly DetectPath PrometheusFiring = new("Prometheus: firing", 60);

    /// <summary>Alertmanager's notification reaches its webhook receiver: the page.</summary>
    public static readonly DetectPath AlertmanagerWebhook = new("Alertmanager: webhook", 60);

    public static IReadOnlyList<DetectPath> All { get; } = [BuiltInList, BuiltInWebhook, PrometheusFiring, AlertmanagerWebhook];
}
