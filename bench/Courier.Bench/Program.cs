using Courier.Bench;

// End-to-end comparison of Courier's embedded engine with Hangfire; see docs/benchmarks.md.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return options.ChildPhases is { } phases
    ? await ChildRun.RunAsync(options, phases, cancel.Token)
    : await ParentRun.RunAsync(options, args, cancel.Token);
