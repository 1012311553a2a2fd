namespace Courier.Bench;

/// <summary>A child process: measures one system and writes its <see cref="SystemResult"/> as JSON on stdout.</summary>
internal static class ChildRun
{
    public static async Task<int> RunAsync(BenchOptions options, IReadOnlyList<BenchPhase> phases, CancellationToken cancellationToken)
    {
        if (phases.Contains(BenchPhase.Runner))
        {
            // Not a measured system: the HTTP section's runner, driven by the child that measures it.
            return await RunnerHost.RunAsync(options, cancellationToken);
        }
        if (options.Systems.Count != 1)
        {
            Console.Error.WriteLine("a child measures exactly one system (--only NAME)");
            return 2;
        }
        var result = await new SystemBench(options.Systems[0], options).RunAsync(phases, cancellationToken);
        Console.Out.WriteLine(BenchJson.Serialize(result));
        return 0;
    }
}
