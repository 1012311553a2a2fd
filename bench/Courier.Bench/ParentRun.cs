using System.Diagnostics;
using System.Reflection;

namespace Courier.Bench;

/// <summary>
/// The harness: runs each system in a child process of its own (its memory figures are its own, and the two
/// native SQLite builds Hangfire.Storage.SQLite and Microsoft.Data.Sqlite bring never meet), then prints the table.
/// </summary>
internal static class ParentRun
{
    public static async Task<int> RunAsync(BenchOptions options, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Describe();
        var results = new List<SystemResult>();
        foreach (var system in options.Systems)
        {
            if (system is BenchSystem.Kafka or BenchSystem.Http or BenchSystem.Detect or BenchSystem.Incident or BenchSystem.Dedup or BenchSystem.Dlq or BenchSystem.Lag or BenchSystem.Audit
                or BenchSystem.Ledger or BenchSystem.KafkaLatency)
            {
                // Sections of their own, each one child process (the HTTP one starts the runner as a further child).
                var phase = system switch
                {
                    BenchSystem.Kafka => BenchPhase.Kafka,
                    BenchSystem.Http => BenchPhase.Http,
                    BenchSystem.Detect => BenchPhase.Detect,
                    BenchSystem.Dedup => BenchPhase.Dedup,
                    BenchSystem.Dlq => BenchPhase.Dlq,
                    BenchSystem.Lag => BenchPhase.Lag,
                    BenchSystem.Audit => BenchPhase.Audit,
                    BenchSystem.Ledger => BenchPhase.Ledger,
                    BenchSystem.KafkaLatency => BenchPhase.KafkaLatency,
                    _ => BenchPhase.Incident,
                };
                results.Add(await RunChildAsync(system, options, [phase], cancellationToken));
                continue;
            }
            var result = await RunChildAsync(system, options, [BenchPhase.Rates, BenchPhase.Latency], cancellationToken);
            if (options.Backlog > 0 && options.BacklogSystems.Contains(system))
            {
                // A fresh process, so that the backlog's memory peaks are not the rates' leftovers.
                result = result.Merge(await RunChildAsync(system, options, [BenchPhase.Backlog], cancellationToken));
            }
            results.Add(result);
        }
        var report = new BenchReport
        {
            Machine = machine with { LoadAverageAtEnd = MachineInfo.LoadAverage() },
            CommandLine = "Courier.Bench " + string.Join(' ', args),
            Jobs = options.Jobs,
            LatencyRate = options.LatencyRate,
            LatencySeconds = options.LatencySeconds,
            Backlog = options.Backlog,
            PhaseLimitSeconds = options.PhaseLimitSeconds,
            Systems = results,
        };
        Console.Out.WriteLine(options.Json ? BenchJson.Serialize(report) : TablePrinter.Render(report));
        return results.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static async Task<SystemResult> RunChildAsync(
        BenchSystem system, BenchOptions options, IReadOnlyList<BenchPhase> phases, CancellationToken cancellationToken)
    {
        var start = ChildStartInfo(options.ToChildArguments(system, phases));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start a child process");
        // The child's progress goes to stderr (inherited); its result is the JSON on stdout.
        var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await child.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
        var json = await output;
        if (child.ExitCode == 0 && BenchJson.TryDeserialize(json, out var result))
        {
            return result;
        }
        return new SystemResult
        {
            System = BenchSystems.Name(system),
            Title = BenchSystems.Title(system),
            Error = $"{string.Join(',', phases.Select(BenchPhases.Name))} child exited with {child.ExitCode}",
        };
    }

    /// <summary>This program again, with <paramref name="arguments"/>, its standard output redirected.</summary>
    internal static ProcessStartInfo ChildStartInfo(IReadOnlyList<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        // Run as `dotnet Courier.Bench.dll …` the host is dotnet and the program is its first argument.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}
