using Courier.Fuzz.Seeds;
using Courier.Fuzz.Targets;
using SharpFuzz;

namespace Courier.Fuzz;

/// <summary>
/// <c>Courier.Fuzz &lt;target&gt;</c>: the AFL entry point (SharpFuzz's out-of-process fork server; fuzz/run.sh starts it under
/// afl-fuzz). <c>Courier.Fuzz replay &lt;target&gt; &lt;file&gt;...</c>: runs files through a target once, in-process, to
/// reproduce a finding. <c>Courier.Fuzz seed-runner &lt;dir&gt;</c>: writes the runner target's signed seed requests.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args)
        {
            case ["replay", var name, .. var files] when FuzzTargets.Find(name) is { } target:
                foreach (var file in files)
                {
                    target.Run(File.ReadAllBytes(file));
                    Console.WriteLine($"ok {file}");
                }
                return 0;
            case ["seed-runner", var directory]:
                RunnerSeeds.Write(directory);
                return 0;
            case [var name] when FuzzTargets.Find(name) is { } target:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                });
                return 0;
            default:
                Console.Error.WriteLine($"usage: Courier.Fuzz <target> | replay <target> <file>... | seed-runner <dir>; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
                return 2;
        }
    }
}
