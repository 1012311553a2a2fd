namespace Courier.Cli.Rendering;

/// <summary>Reports progress on the caller's thread (<see cref="Progress{T}"/> posts later, which would lose the last report).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
