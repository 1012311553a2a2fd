using Courier.Testing;
using Xunit;

namespace Courier.Testing.Alerting;

/// <summary>
/// A real Alertmanager (<c>prometheus-alertmanager</c> from Debian) on a free 127.0.0.1 port, with a generated
/// configuration in a temporary directory: one route to a webhook receiver given by the test, grouped by
/// <c>alertname</c> and <c>job_type</c>, with group and repeat intervals of seconds rather than minutes, resolved
/// notifications on, clustering off and its own storage. Disposing stops it and deletes the directory.
/// </summary>
public sealed class AlertmanagerProcess : IAsyncDisposable
{
    /// <summary>How long Alertmanager waits before it first notifies a new group (production configurations use ~30 s).</summary>
    public static readonly TimeSpan GroupWait = TimeSpan.FromSeconds(1);

    /// <summary>How long it waits before notifying a change in a group already notified (production: ~5 min).</summary>
    public static readonly TimeSpan GroupInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long before an unchanged firing group is notified again (production: hours).</summary>
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromMinutes(1);

    private readonly TempDirectory _directory;
    private readonly ChildProcess _process;

    private AlertmanagerProcess(TempDirectory directory, ChildProcess process, Uri baseUrl)
    {
        _directory = directory;
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>, without a trailing slash: what Prometheus sends alerts to.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Alertmanager's last log lines, for failure messages.</summary>
    public string Tail(int lines = 40) => _process.Tail(lines, "alertmanager");

    /// <summary>
    /// Starts Alertmanager notifying <paramref name="webhookUrl"/> and waits until <c>/-/ready</c> answers 200. Skips the
    /// test (fails it on CI) when the Debian package is not installed.
    /// </summary>
    public static Task<AlertmanagerProcess> StartAsync(Uri webhookUrl, CancellationToken cancellationToken = default) =>
        StartAsync(webhookUrl, GroupWait, GroupInterval, cancellationToken);

    /// <summary>
    /// Starts Alertmanager as <see cref="StartAsync(Uri, CancellationToken)"/> does, with <paramref name="groupWait"/> and
    /// <paramref name="groupInterval"/> instead of <see cref="GroupWait"/> and <see cref="GroupInterval"/> (the bench's
    /// time-to-detect measurement uses a production configuration's).
    /// </summary>
    public static async Task<AlertmanagerProcess> StartAsync(Uri webhookUrl, TimeSpan groupWait, TimeSpan groupInterval,
        CancellationToken cancellationToken = default)
    {
        var binary = SystemTool.Require("prometheus-alertmanager", "the end-to-end alerting tests", "prometheus-alertmanager");
        var directory = new TempDirectory("alertmanager");
        try
        {
            var config = directory.File("alertmanager.yml");
            await File.WriteAllTextAsync(config, Config(webhookUrl, groupWait, groupInterval), cancellationToken);
            Directory.CreateDirectory(directory.File("data"));
            var (process, baseUrl) = await ReadyProgram.StartAsync("alertmanager", binary, port =>
            [
                "--config.file=" + config,
                "--storage.path=" + directory.File("data"),
                "--web.listen-address=" + ReadyProgram.ListenAddress(port),
                "--cluster.listen-address=", // empty: no gossip cluster, no second port
            ], directory.Path, cancellationToken);
            return new AlertmanagerProcess(directory, process, baseUrl);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The generated configuration: every alert to the webhook, the given intervals, resolved notifications sent.</summary>
    private static string Config(Uri webhookUrl, TimeSpan groupWait, TimeSpan groupInterval) => $"""
        route:
          receiver: webhook
          group_by: [alertname, job_type]
          group_wait: {ReadyProgram.Seconds(groupWait)}
          group_interval: {ReadyProgram.Seconds(groupInterval)}
          repeat_interval: {ReadyProgram.Seconds(RepeatInterval)}
        receivers:
          - name: webhook
            webhook_configs:
              - url: "{webhookUrl}"
                send_resolved: true
        """;

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
