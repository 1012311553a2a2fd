using System.Security.Cryptography;
using System.Text;

namespace Courier.Server.Demo;

/// <summary>Simulates a links refresh: a little CPU work (hashing the title, standing in for a parse) and a short wait.</summary>
internal sealed class RefreshLinksHandler(TimeProvider timeProvider) : IJobHandler<RefreshLinksParams>
{
    /// <summary>Simulated database time when the job does not set <c>work_ms</c>.</summary>
    public const int DefaultWorkMilliseconds = 20;

    private const int ParseRounds = 200;

    /// <inheritdoc />
    public async ValueTask<JobResult> HandleAsync(Job<RefreshLinksParams> job, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(context);
        if (DemoSimulator.InjectFailure(job.Params.Simulate, context) is { } failure)
        {
            return failure;
        }
        Parse(job.Params.Title);
        await DemoSimulator.WorkAsync(job.Params.Simulate, DefaultWorkMilliseconds, timeProvider, cancellationToken);
        return JobResult.Success;
    }

    private static void Parse(PageTitle title)
    {
        Span<byte> a = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> b = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(title.PrefixedDbkey), a);
        for (var i = 1; i < ParseRounds; i++)
        {
            SHA256.HashData(a, b);
            b.CopyTo(a);
        }
    }
}
