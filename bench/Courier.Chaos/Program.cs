using Courier.Chaos;

// The chaos soak; see docs/operations.md, "The chaos soak".
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.WriteLine(ChaosOptions.Usage);
    return 0;
}

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.ScheduleOnly)
{
    Console.Out.Write(Courier.Chaos.Faults.FaultSchedule.Create(options, ChaosEngine.BrokersFor(options), diskFullAvailable: true).Render());
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var result = await ChaosRun.RunAsync(options, Console.Out, cancel.Token);
    return result.Verdict.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    // Ctrl+C: the run's processes were stopped and its tmpfs unmounted on the way out; there is no verdict.
    Console.Error.WriteLine("interrupted: no verdict (the processes were stopped and the data tmpfs unmounted)");
    return 130;
}
