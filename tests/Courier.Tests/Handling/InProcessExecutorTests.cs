using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Handling;

/// <summary>
/// What the in-process executor makes of a handler's result or exception, whether the handler finished at once or
/// after an await: an exception is an outcome, never a crash, and one caused by the job's cancelled token is a retry.
/// </summary>
public sealed class InProcessExecutorTests
{
    private const string Type = "refreshLinks";

    public static TheoryData<bool> AtOnceOrLater => [true, false];

    [Theory]
    [MemberData(nameof(AtOnceOrLater))]
    public async Task ExecuteAsync_GivesTheHandlersResult(bool atOnce)
    {
        var result = await Execute(atOnce, () => JobResult.Fail("no such page"), CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(FailureClass.Permanent, result.Failure);
        Assert.Equal("no such page", result.Message);
    }

    [Theory]
    [MemberData(nameof(AtOnceOrLater))]
    public async Task ExecuteAsync_TurnsAHandlersExceptionIntoItsOutcome(bool atOnce)
    {
        var retried = await Execute(atOnce, () => throw new InvalidOperationException("database is locked"), CancellationToken.None);
        var failed = await Execute(atOnce, () => throw new PermanentJobException("page was deleted"), CancellationToken.None);

        Assert.Equal(FailureClass.Retryable, retried.Failure);
        Assert.Equal("InvalidOperationException: database is locked", retried.Message);
        Assert.Equal(FailureClass.Permanent, failed.Failure);
        Assert.Equal("page was deleted", failed.Message);
    }

    [Theory]
    [MemberData(nameof(AtOnceOrLater))]
    public async Task ExecuteAsync_RetriesAJobItsCancelledTokenStopped(bool atOnce)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var stopped = await Execute(atOnce, () => throw new OperationCanceledException(cancelled.Token), cancelled.Token);
        // The same exception while the job's token is not cancelled is the handler's own failure.
        var ownCancel = await Execute(atOnce, () => throw new OperationCanceledException(), CancellationToken.None);

        Assert.Equal(FailureClass.Retryable, stopped.Failure);
        Assert.Equal("cancelled after 2 s (timeout or shutdown)", stopped.Message);
        Assert.Equal(FailureClass.Retryable, ownCancel.Failure);
        Assert.StartsWith("OperationCanceledException: ", ownCancel.Message, StringComparison.Ordinal);
    }

    private static async Task<JobResult> Execute(bool atOnce, Func<JobResult> handle, CancellationToken token)
    {
        // At once: the handler returns a finished result, or throws before returning anything.
        var registry = new JobHandlerRegistry(new CourierOptions()).Add(Type, new DelegateHandler<JsonElement>(
            (_, _, _) => atOnce ? ValueTask.FromResult(handle()) : LaterAsync(handle)));
        var execution = new JobExecution
        {
            Event = new JobEvent
            {
                Meta = new JobMeta { Id = "job-1", Dt = DateTimeOffset.UnixEpoch },
                Database = "enwiki",
                Type = Type,
                Params = JsonElement.Parse("{}"),
            },
            RawEvent = ReadOnlyMemory<byte>.Empty,
            Context = new JobContext { Attempt = 1, Topic = "mediawiki.job." + Type, Source = new TopicPartitionOffset("t", 0, 0), Timeout = TimeSpan.FromSeconds(2) },
        };
        var running = new InProcessExecutor(registry).ExecuteAsync(execution, token);
        Assert.Equal(atOnce, running.IsCompleted);
        return await running;
    }

    private static async ValueTask<JobResult> LaterAsync(Func<JobResult> handle)
    {
        await Task.Yield();
        return handle();
    }
}
