using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Bench.Incident;

/// <summary>
/// One Courier runner on a free loopback port in the bench process, announcing <paramref name="release"/>: every job
/// type has a succeeding handler except, on a broken release, the incident's type.
/// </summary>
internal sealed class IncidentRunner : IAsyncDisposable
{
    private readonly LoopbackApp _app;

    private IncidentRunner(LoopbackApp app, IncidentHandler broken)
    {
        _app = app;
        Broken = broken;
    }

    /// <summary>The incident type's handler (failing only on a broken release).</summary>
    public IncidentHandler Broken { get; }

    public Uri Url => _app.BaseUrl;

    public static async Task<IncidentRunner> StartAsync(string release, bool broken, RunnerKey key, CancellationToken cancellationToken)
    {
        var incident = new IncidentHandler(broken);
        var healthy = new IncidentHandler(broken: false);
        var app = await LoopbackApp.StartAsync(
            app => app.MapCourierRunner(),
            builder =>
            {
                builder.Services.Configure<CourierOptions>(o => o.Release = release);
                var runner = builder.Services.AddCourierRunner(o => o.Keys.Add(key));
                foreach (var type in IncidentBench.JobTypes)
                {
                    runner.AddHandler(type, type == IncidentBench.JobType ? incident : healthy);
                }
            },
            cancellationToken: cancellationToken);
        return new IncidentRunner(app, incident);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
