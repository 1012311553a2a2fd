using System.Net;
using Courier;
using Courier.TestRunner;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// A runner process for Courier.EndToEnd's HTTP runner tests: any ASP.NET Core app with AddCourierRunner and
// MapCourierRunner, here with the scripted handler, until stdin closes (graceful stop) or the process is killed.
RunnerArguments arguments;
try
{
    arguments = RunnerArguments.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using var ledger = RunnerLedger.Open(arguments.LedgerPath, arguments.Name);
using var metrics = new RunnerMetricsText();
var time = TimeProvider.System;

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "courier-test-runner" });
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, arguments.Port));
builder.Logging.ClearProviders()
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss.fff ";
        o.ColorBehavior = LoggerColorBehavior.Disabled;
    });
// Every level to stderr: stdout carries only the `ready` line the parent waits for.
builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
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
foreach (var type in arguments.JobTypes)
{
    courier.AddHandler(type, handler);
}

await using var app = builder.Build();
if (arguments.Stall)
{
    app.UseMiddleware<StallMiddleware>();
}
app.MapCourierRunner();
app.MapCourierRunnerHealth();
app.MapGet("/test/metrics", () => Results.Text(metrics.Render()));

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await app.StartAsync(stop.Token);
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.Out.WriteLine($"ready {address.TrimEnd('/')} pid {Environment.ProcessId}");
Console.Out.Flush();

// The parent stops this process by closing its stdin (or kills it).
while (await Console.In.ReadLineAsync(stop.Token) is not null)
{
}
await app.StopAsync(CancellationToken.None);
Console.Out.WriteLine($"stopped {arguments.Name}");
return 0;
