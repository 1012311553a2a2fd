using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Testing;

/// <summary>
/// A real Courier runner on 127.0.0.1 that announces <see cref="Release"/> and runs the test job types with a delegate,
/// keeping a ledger of what it ran: the far side of a runner pool (or of its canary) in dispatcher tests.
/// </summary>
public sealed class ReleaseRunner : IAsyncDisposable
{
    /// <summary>The key the runners accept and <see cref="Pool"/> signs with.</summary>
    public static readonly RunnerKey Key = new("canary-test", "canary-test-secret-0123456789abcdef");

    private readonly LoopbackApp _app;

    private ReleaseRunner(LoopbackApp app, string release)
    {
        _app = app;
        Release = release;
    }

    /// <summary>The release the runner announces (<c>Courier-Release</c>).</summary>
    public string Release { get; }

    /// <summary>The runner's base URL.</summary>
    public Uri BaseUrl => _app.BaseUrl;

    /// <summary>Every execution: job id, type and attempt.</summary>
    public ConcurrentQueue<(string Id, string Type, int Attempt, string? Database)> Executions { get; } = new();

    /// <summary>Starts a runner of <paramref name="release"/> for <paramref name="types"/>; <paramref name="handle"/> answers each job (success by default).</summary>
    public static async Task<ReleaseRunner> StartAsync(string release, IEnumerable<string> types,
        Func<Job<TestParams>, JobContext, JobResult>? handle = null)
    {
        ReleaseRunner? runner = null;
        var app = await LoopbackApp.StartAsync(a => a.MapCourierRunner(), builder =>
        {
            builder.Services.Configure<CourierOptions>(o => o.Release = release);
            var courier = builder.Services.AddCourierRunner(o => o.Keys.Add(Key));
            foreach (var type in types)
            {
                courier.AddHandler(type, new DelegateHandler<TestParams>((job, context, _) =>
                {
                    runner!.Executions.Enqueue((job.Id, job.Type, context.Attempt, job.Database));
                    return ValueTask.FromResult(handle?.Invoke(job, context) ?? JobResult.Success);
                }));
            }
        });
        return runner = new ReleaseRunner(app, release);
    }

    /// <summary>A pool named <paramref name="name"/> of this runner, signed with <see cref="Key"/>.</summary>
    public RunnerPoolOptions Pool(string name = "pool") =>
        new() { Name = name, Urls = [BaseUrl], SigningKey = Key, ExecutionLimit = TimeSpan.FromSeconds(5) };

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
