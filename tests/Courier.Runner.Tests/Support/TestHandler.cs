using System.Collections.Concurrent;

namespace Courier.Runner.Tests.Support;

/// <summary>
/// Does what a job's <see cref="TestParams.Mode"/> says: <c>ok</c>, <c>permanent</c>, <c>undecodable</c>, <c>retry</c>,
/// <c>throw</c>, <c>throw-permanent</c>, <c>backpressure</c>, <c>hold</c> (until released or cancelled),
/// <c>hold-ignoring-cancellation</c> (until released), and records each call.
/// </summary>
public sealed class TestHandler : IJobHandler<TestParams>
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holding;

    public ConcurrentQueue<(Job<TestParams> Job, JobContext Context)> Calls { get; } = new();

    public ConcurrentQueue<string> Cancelled { get; } = new();

    public int Holding => Volatile.Read(ref _holding);

    public void ReleaseAll() => _release.TrySetResult();

    public async ValueTask<JobResult> HandleAsync(Job<TestParams> job, JobContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue((job, context));
        switch (job.Params.Mode)
        {
            case "ok":
                return JobResult.Success;
            case "permanent":
                return JobResult.Fail(job.Params.Message ?? "this job can never succeed");
            case "undecodable":
                return JobResult.Undecodable(job.Params.Message ?? "the handler cannot read this job");
            case "retry":
                return JobResult.Retry(job.Params.Message ?? "try again");
            case "throw":
                throw new InvalidOperationException(job.Params.Message ?? "boom");
            case "throw-permanent":
                throw new PermanentJobException(job.Params.Message ?? "never");
            case "backpressure":
                throw new JobBackpressureException(TimeSpan.FromSeconds(7), job.Params.Message ?? "database is read-only");
            case "hold":
                Interlocked.Increment(ref _holding);
                try
                {
                    await _release.Task.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled.Enqueue(job.Id);
                    throw;
                }
                finally
                {
                    Interlocked.Decrement(ref _holding);
                }
                return JobResult.Success;
            case "hold-ignoring-cancellation":
                Interlocked.Increment(ref _holding);
                try
                {
                    await _release.Task;
                }
                finally
                {
                    Interlocked.Decrement(ref _holding);
                }
                return JobResult.Success;
            default:
                throw new ArgumentException($"unknown mode {job.Params.Mode}");
        }
    }
}
