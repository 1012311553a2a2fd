namespace Courier.Cli.Rendering;

/// <summary>
/// Progress for redirected output: plain lines (no ANSI) every <c>interval</c>, one per job type plus a total, so a
/// log file or CI output shows the run without escape codes.
/// </summary>
internal sealed class PlainProgressView(TextWriter output, TimeProvider timeProvider, TimeSpan interval) : IProgressView
{
    private long _lastPrinted;
    private string? _lastPhase;

    public Task RunAsync(Func<Action<ProgressSnapshot>, Task> loop) => loop(Update);

    private void Update(ProgressSnapshot snapshot)
    {
        var now = timeProvider.GetTimestamp();
        var phaseChanged = !string.Equals(snapshot.Phase, _lastPhase, StringComparison.Ordinal);
        if (_lastPrinted != 0 && !phaseChanged && timeProvider.GetElapsedTime(_lastPrinted, now) < interval)
        {
            return;
        }
        _lastPrinted = now;
        _lastPhase = snapshot.Phase;
        var at = $"[{Format.Seconds(snapshot.Elapsed),7}]";
        var enqueue = snapshot.EnqueueTarget > 0 ? $", enqueued {Format.N(snapshot.Enqueued)}/{Format.N(snapshot.EnqueueTarget)}" : "";
        output.WriteLine($"{at} {snapshot.Phase}{enqueue}");
        foreach (var t in snapshot.Types)
        {
            output.WriteLine($"{at}   {t.Stats.Type}: started {Format.N(t.Stats.Started)}, succeeded {Format.N(t.Stats.Succeeded)}, retried {Format.N(t.Stats.Retried)}, " +
                $"dead-lettered {Format.DeadLetters(t.Stats.DeadLettered, t.Stats.DeadLetteredByClass)}, ignored {Format.N(t.Stats.Ignored)}, " +
                $"not run {Format.NotRun(t.Stats)}, " +
                $"in flight {Format.N(t.Stats.InFlight)}, {Format.Rate(t.Rate)}/s, backlog {Format.N(t.Backlog)}");
        }
        foreach (var line in PauseLines.Of(snapshot.Types.Select(t => t.Stats)).Concat(ProbeLines.Of(snapshot.Probes, snapshot.TakenAt))
            .Concat(RecurringLines.Of(snapshot.Recurring)))
        {
            output.WriteLine($"{at}   {line}");
        }
        foreach (var line in CanaryLines.Of(snapshot.Canaries))
        {
            output.WriteLine($"{at}   {line}");
        }
        foreach (var line in AlertLines.Of(snapshot.Alerts))
        {
            output.WriteLine($"{at}   alert firing: {line}");
        }
        output.Flush();
    }
}
