using System.Globalization;

namespace Courier.Bench;

/// <summary>
/// This process's CPU time split by who spent it, in seconds: librdkafka's mock brokers (threads named <c>rdk:mock</c>),
/// librdkafka's client threads (the other <c>rdk:</c> threads: broker connections and the main thread), and everything
/// else: the consumer's own .NET threads, the thread pool's, and the runtime's (JIT, GC).
/// </summary>
/// <remarks>
/// The process total cannot tell a consumer's own cost from the mock cluster's, which runs in the same process and
/// whose cost moves with whatever runs beside it (docs/benchmarks.md). Read from each thread's
/// <c>/proc/self/task/*/schedstat</c> (nanoseconds on the CPU, not the 10 ms ticks of <c>stat</c>); a thread that
/// exits between two readings takes its time with it, so the groups' sum can fall short of the process total. All zero
/// where <c>/proc</c> is missing.
/// </remarks>
internal readonly record struct ThreadCpu(double MockSeconds, double ClientSeconds, double DotnetSeconds)
{
    /// <summary>The three groups' CPU time so far.</summary>
    public static ThreadCpu Now()
    {
        const string tasks = "/proc/self/task";
        if (!Directory.Exists(tasks))
        {
            return default;
        }
        long mock = 0, client = 0, dotnet = 0;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            string name, schedstat;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd();
                schedstat = File.ReadAllText(Path.Combine(task, "schedstat"));
            }
            catch (IOException)
            {
                continue; // the thread exited while we looked
            }
            var end = schedstat.IndexOf(' ', StringComparison.Ordinal);
            if (end <= 0 || !long.TryParse(schedstat.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds))
            {
                continue;
            }
            if (name.StartsWith("rdk:mock", StringComparison.Ordinal))
            {
                mock += nanoseconds;
            }
            else if (name.StartsWith("rdk:", StringComparison.Ordinal))
            {
                client += nanoseconds;
            }
            else
            {
                dotnet += nanoseconds;
            }
        }
        return new ThreadCpu(mock / 1e9, client / 1e9, dotnet / 1e9);
    }

    /// <summary>What each group spent from <paramref name="start"/> to this reading.</summary>
    public ThreadCpu Since(ThreadCpu start) =>
        new(MockSeconds - start.MockSeconds, ClientSeconds - start.ClientSeconds, DotnetSeconds - start.DotnetSeconds);
}
