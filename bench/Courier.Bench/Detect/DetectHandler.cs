using System.Diagnostics;
using System.Text.Json;

namespace Courier.Bench.Detect;

/// <summary>
/// The measured type's handler: succeeds until <see cref="Break"/>, then throws a permanent failure on every job (the
/// 2019 deploy), recording when the first failing execution ran — the start of every time to detect.
/// </summary>
internal sealed class DetectHandler : IJobHandler<JsonElement>
{
    private readonly TaskCompletionSource<long> _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _broken;
    private int _succeeded;
    private int _failed;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the first execution that failed.</summary>
    public Task<long> FirstFailure => _firstFailure.Task;

    public int Succeeded => Volatile.Read(ref _succeeded);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Every job from now on fails.</summary>
    public void Break() => _broken = true;

    public ValueTask<JobResult> HandleAsync(Job<JsonElement> job, JobContext context, CancellationToken cancellationToken)
    {
        if (!_broken)
        {
            Interlocked.Increment(ref _succeeded);
            return ValueTask.FromResult(JobResult.Success);
        }
        _firstFailure.TrySetResult(Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _failed);
        throw new PermanentJobException("the handler is broken (time-to-detect bench)");
    }
}
