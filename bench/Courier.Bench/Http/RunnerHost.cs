using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Courier.Bench.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Courier.Bench;

/// <summary>
/// <c>--child runner</c>: the HTTP section's runner, a process of its own. An ASP.NET Core app with
/// <c>AddCourierRunner</c> / <c>MapCourierRunner</c> and the no-op handler for the bench's job type, signing keys from
/// <c>COURIER_RUNNER_KEYS</c> (set by the dispatcher's side). Besides the runner endpoint it serves the probe:
/// <c>POST /bench/probe?capacity=N</c> resets it, <c>GET /bench/wait?count=N&amp;timeoutMs=T</c> answers once N jobs have
/// started (or T has passed) with what it saw. Prints <c>ready URL</c> on stdout; stops when stdin closes.
/// </summary>
internal static class RunnerHost
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var state = new RunnerProbeState();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "courier-bench-runner" });
        ListenOptions? h2c = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            // HTTP/2 without TLS (prior knowledge) needs a listener of its own: the bare loop's h2c variant uses it.
            k.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                h2c = o;
            });
        });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddCourierRunner(o =>
            {
                o.MaxConcurrency = options.RunnerConcurrency;
                o.ExecutionLimit = HttpBench.RunnerExecutionLimit;
            })
            .AddHandler(CourierTarget.JobType, new RunnerNoopHandler(state));
        await using var app = builder.Build();
        app.MapCourierRunner();
        // The bare loop's endpoint: signature verified, answered as a runner answers, nothing run (BareRunnerEndpoint).
        var bare = new BareRunnerEndpoint(RunnerKeySource.FromEnvironment(Environment.GetEnvironmentVariable)?.Keys ?? [], HttpBench.RunnerExecutionLimit);
        app.MapPost(BareRunnerEndpoint.Path, bare.HandleAsync);
        app.MapPost("/bench/probe", (int capacity) =>
        {
            state.Reset(capacity);
            return Results.NoContent();
        });
        app.MapGet("/bench/wait", async (long count, int timeoutMs, CancellationToken ct) =>
        {
            await Task.WhenAny(state.Probe.WhenExecuted(count), Task.Delay(timeoutMs, ct));
            return Results.Json(state.Snapshot());
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !a.EndsWith($":{h2c!.IPEndPoint!.Port}", StringComparison.Ordinal));
        await Console.Out.WriteLineAsync($"h2c http://{h2c!.IPEndPoint}");
        await Console.Out.WriteLineAsync("ready " + address.TrimEnd('/'));
        await Console.Out.FlushAsync(cancellationToken);
        try
        {
            while (await Console.In.ReadLineAsync(cancellationToken) is not null)
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
