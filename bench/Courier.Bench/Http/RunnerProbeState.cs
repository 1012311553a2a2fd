namespace Courier.Bench;

/// <summary>
/// The runner process's probe, replaced before each measured run (<c>POST /bench/probe</c>). Stopwatch timestamps
/// are CLOCK_MONOTONIC on Linux, shared by every process on the machine, so a start delay measured here against the
/// enqueue timestamp the dispatcher's side put in the job is as exact as one measured in a single process.
/// </summary>
internal sealed class RunnerProbeState
{
    private JobProbe _probe = new();
    private int _capacity;

    public JobProbe Probe => Volatile.Read(ref _probe);

    public void Reset(int latencyCapacity)
    {
        _capacity = latencyCapacity;
        Volatile.Write(ref _probe, new JobProbe(latencyCapacity));
    }

    public RunnerProbeSnapshot Snapshot()
    {
        var probe = Probe;
        var delays = new long[_capacity];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = probe.StartDelay(i) ?? -1;
        }
        return new RunnerProbeSnapshot(probe.Executions, probe.Duplicates, probe.FirstStart, delays);
    }
}
