using System.Net;
using Courier;
using Courier.TestPrograms;
using Courier.TestRunner;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A runner process for Courier.EndToEnd's HTTP runner tests: any ASP.NET Core app with AddCourierRunner and
// MapCourierRunner, here with the scripted handler, until stdin closes (graceful stop) or the process is killed.
if (!FlagArguments.TryParse(() => RunnerArguments.Parse(args), out var arguments))
{
    return 2;
}

await using var ledger = RunnerLedger.Open(arguments.LedgerPath, arguments.Name);
// The runner's own counts, served at /test/metrics.
using var metrics = new MeterText(CourierRunnerTelemetry.Name);
var time = TimeProvider.System;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "courier-test-runner" });
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, arguments.Port));
builder.Logging.ClearProviders()
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddStderrConsole();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
builder.Services.AddSingleton(ledger);
var handler = new ScriptedRunnerHandler(ledger, new FailureBurst(arguments.FailFirst), time);
var courier = builder.Services.AddCourierRunner(o =>
{
    o.ExecutionLimit = TimeSpan.FromMilliseconds(arguments.ExecutionLimitMilliseconds);
    o.MaxConcurrency = arguments.MaxConcurrency;
    o.MaxBodyBytes = arguments.MaxBodyBytes;
    o.RetryAfter = TimeSpan.FromSeconds(arguments.RetryAfterSeconds);
    if (arguments.ReadOnlyFile is { } readOnlyFile)
    {
        o.ReadOnly = () => File.Exists(readOnlyFile);
    }
});
var brokenHandler = new ScriptedRunnerHandler(ledger, new FailureBurst(0), time, arguments.BrokenMessage);
foreach (var type in arguments.JobTypes)
{
    courier.AddHandler(type, type == arguments.BrokenType ? brokenHandler : handler);
}

await using var app = builder.Build();
if (arguments.Stall)
{
    app.UseMiddleware<StallMiddleware>();
}
app.MapCourierRunner();
app.MapCourierRunnerHealth();
app.MapGet("/test/metrics", () => Results.Text(metrics.Render()));

// The parent stops this process by closing its stdin (or kills it).
using var stop = ProgramConsole.StopOnStdinClose();
await app.StartAsync(stop.Token);
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
ProgramConsole.Say($"ready {address.TrimEnd('/')} pid {Environment.ProcessId}");
await ProgramConsole.WhenCancelled(stop.Token);
await app.StopAsync(CancellationToken.None);
Console.Out.WriteLine($"stopped {arguments.Name}");
return 0;
