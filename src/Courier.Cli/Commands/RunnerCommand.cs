using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Courier.Cli.Logging;
using Courier.Cli.Settings;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier runner</c>: an HTTP job runner with the demo handlers (<see cref="CourierRunnerHost"/>), for a
/// dispatcher elsewhere to POST jobs to (<c>courier up --runners URL</c>). Prints the runner's URL on stdout (or one
/// JSON line with <c>--json</c>) and runs until Ctrl+C or SIGTERM. Signing keys: <c>--keys-file</c>, else
/// <c>COURIER_RUNNER_KEYS</c>, else a development key file in the data directory, created on first use.
/// </summary>
internal sealed class RunnerCommand : Command
{
    private readonly Option<int> _port = new("--port")
    {
        Description = $"Port to listen on (default {CourierRunnerHostOptions.DefaultPort}); 0 picks a free port.",
        HelpName = "PORT",
        DefaultValueFactory = _ => CourierRunnerHostOptions.DefaultPort,
    };
    private readonly Option<string> _host = new("--host")
    {
        Description = "Address to listen on: an IP address or localhost (default 127.0.0.1). Requests must be signed either way.",
        HelpName = "ADDRESS",
        DefaultValueFactory = _ => "127.0.0.1",
    };
    private readonly Option<string?> _keysFile = new("--keys-file")
    {
        Description = $"File of signing keys (id=secret, one per line). Default: ${RunnerKey.EnvironmentVariable}, else "
            + $"<data>/{RunnerKeyFile.FileName}, created with a random key if missing.",
        HelpName = "FILE",
    };
    private readonly Option<int> _executionLimit = new("--execution-limit")
    {
        Description = "Seconds one job may run before it is cancelled and answered 504 (retryable). Dispatcher timeouts must be longer.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => (int)CourierRunnerHostOptions.DefaultExecutionLimit.TotalSeconds,
    };
    private readonly Option<int> _maxConcurrency = new("--max-concurrency")
    {
        Description = "Jobs run at once; more are answered 429 (the dispatcher retries later without spending an attempt).",
        HelpName = "N",
        DefaultValueFactory = _ => CourierRunnerHostOptions.DefaultMaxConcurrency,
    };
    private readonly Option<string?> _tlsCert = new("--tls-cert")
    {
        Description = "Listen over HTTPS with this certificate: PEM (its key in --tls-key, or in the same file) or PKCS#12 (PFX), "
            + $"whose password is read from ${CourierRunnerHostOptions.CertificatePasswordVariable}.",
        HelpName = "FILE",
    };
    private readonly Option<string?> _tlsKey = new("--tls-key")
    {
        Description = "PEM private key of the --tls-cert certificate, when it is not in the certificate's file.",
        HelpName = "FILE",
    };
    private readonly Option<string?> _logFormat = LogFormatOption.Create();
    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print {\"url\": …, \"metrics_url\": …, \"keys_file\": …, \"key_ids\": […], \"job_types\": […]} on one line instead of the bare URL.",
    };

    public RunnerCommand(CliContext context)
        : base("runner", "Run an HTTP job runner with the demo handlers: a dispatcher POSTs jobs to the URL it prints "
            + "(courier up --runners URL). Signed requests only; /metrics and /health on the same port. Ctrl+C stops.")
    {
        Options.Add(_port);
        Options.Add(_host);
        Options.Add(_keysFile);
        Options.Add(_executionLimit);
        Options.Add(_maxConcurrency);
        Options.Add(_tlsCert);
        Options.Add(_tlsKey);
        Options.Add(_json);
        Options.Add(_logFormat);
        IntegerRange.Check(_port, 0, 65535, "--port must be between 0 and 65535.");
        IntegerRange.Check(_executionLimit, 1, 86_400, "--execution-limit must be between 1 and 86400 seconds.");
        IntegerRange.Check(_maxConcurrency, 1, 100_000, "--max-concurrency must be between 1 and 100000.");
        SetAction((parseResult, _) => RunAsync(parseResult, context));
    }

    private async Task<int> RunAsync(ParseResult parseResult, CliContext context)
    {
        // First, so that every failure after it is reported in the chosen format.
        var format = context.LogFormat = LogFormatOption.Resolve(parseResult, _logFormat, Environment.GetEnvironmentVariable);
        if (parseResult.GetValue(context.Globals.Kafka) is not null)
        {
            throw new UsageException("a runner has no job log: --kafka belongs to the dispatcher (courier up / serve --runners).");
        }
        var settings = CliSettings.Resolve(parseResult, context);
        var console = context.Console;
        var port = parseResult.GetValue(_port);
        var host = parseResult.GetValue(_host)!;
        var (keySet, created) = ResolveKeys(parseResult.GetValue(_keysFile), settings.Data);
        var level = settings.Verbose ? LogLevel.Information : LogLevel.Warning;
        var certificateFile = parseResult.GetValue(_tlsCert);
        var keyFile = parseResult.GetValue(_tlsKey);
        if (keyFile is not null && certificateFile is null)
        {
            throw new UsageException("--tls-key needs --tls-cert, the certificate the key belongs to.");
        }

        CourierRunnerHost runner;
        try
        {
            runner = CourierRunnerHost.Create(new CourierRunnerHostOptions
            {
                Data = settings.Data,
                Host = host,
                Port = port,
                Keys = keySet.Keys,
                ExecutionLimit = TimeSpan.FromSeconds(parseResult.GetValue(_executionLimit)),
                MaxConcurrency = parseResult.GetValue(_maxConcurrency),
                Config = settings.Config,
                CertificateFile = certificateFile,
                CertificateKeyFile = keyFile,
                ConfigureLogging = logging =>
                {
                    ConsoleLogging.Configure(logging, level, console, format);
                    logging.AddFilter("Microsoft.Extensions.Hosting", settings.Verbose ? LogLevel.Warning : LogLevel.Critical);
                },
            });
        }
        catch (ArgumentException e) when (e.ParamName == "host")
        {
            throw new UsageException($"--host: {e.Message}");
        }
        catch (ArgumentException e) when (e.ParamName == "certificate")
        {
            throw new UsageException($"--tls-cert: {(e.InnerException ?? e).Message}", e);
        }
        await using (runner)
        {
            try
            {
                await runner.StartAsync(context.Shutdown);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new CommandFailedException(
                    $"cannot listen on {host}:{port.ToString(CultureInfo.InvariantCulture)}: {e.Message} (pass --port 0 to pick a free port)", e);
            }

            var types = runner.JobTypes.Order(StringComparer.Ordinal).ToList();
            // stdout carries only the URL (or one JSON line), so a script can read the first line and go on.
            if (parseResult.GetValue(_json))
            {
                await console.Out.WriteLineAsync(new JsonObject
                {
                    ["url"] = runner.RunnerUrl!.ToString(),
                    ["metrics_url"] = runner.MetricsUrl!.ToString(),
                    ["ready_url"] = runner.ReadyUrl!.ToString(),
                    ["keys_file"] = keySet.FromEnvironment ? null : keySet.Origin,
                    ["key_ids"] = new JsonArray([.. keySet.Keys.Select(k => JsonValue.Create(k.Id))]),
                    ["job_types"] = new JsonArray([.. types.Select(t => JsonValue.Create(t))]),
                    ["execution_limit_ms"] = (long)runner.RunnerOptions.ExecutionLimit.TotalMilliseconds,
                }.ToJsonString());
            }
            else
            {
                await console.Out.WriteLineAsync(runner.RunnerUrl!.ToString());
            }
            await console.Out.FlushAsync();
            var status = StatusLines.For(format, console, runner.Services.GetRequiredService<ILoggerFactory>());
            await status.WriteAsync($"Courier runner at {runner.RunnerUrl}: job types {string.Join(", ", types)} "
                + $"(demo handlers; massMessage delivers into {settings.Data.InboxPath}).");
            await status.WriteAsync($"  signing keys: {keySet.Origin}{(created ? " (created now)" : "")}, key ids {string.Join(", ", keySet.Keys.Select(k => k.Id))}");
            await status.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                $"  execution limit {runner.RunnerOptions.ExecutionLimit.TotalSeconds:0} s, max concurrency {runner.RunnerOptions.MaxConcurrency}; metrics {runner.MetricsUrl}, health {runner.ReadyUrl}"));
            var pin = certificateFile is null ? "" : " --runners-ca CA.pem"; // the CA that issued --tls-cert, unless the system trusts it
            await status.WriteAsync($"  courier up --runners {runner.BaseUrl}{pin} --data {settings.Data.Root}    Ctrl+C stops (running jobs finish first).");
            await status.FlushAsync();

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.Shutdown);
            }
            catch (OperationCanceledException) when (context.Shutdown.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: the asked-for way to stop, so exit 0.
            }
            // Without the shutdown token: the stop is the graceful part (running jobs finish, the inbox is flushed).
            await runner.StopAsync(CancellationToken.None);
            await status.WriteAsync("Courier runner stopped.");
        }
        return ExitCodes.Ok;
    }

    /// <summary>--keys-file, else the environment, else the data directory's development key file (created if missing).</summary>
    private static (RunnerKeySet Keys, bool Created) ResolveKeys(string? keysFile, CourierDataDirectory data)
    {
        if (RunnerKeySource.Read(keysFile, Environment.GetEnvironmentVariable) is { } keys)
        {
            return (keys, false);
        }
        var path = RunnerKeyFile.DefaultPath(data);
        var created = RunnerKeyFile.CreateIfMissing(path);
        return (RunnerKeySource.FromFile(path), created);
    }
}
