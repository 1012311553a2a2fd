namespace Courier.Cli.Rendering;

/// <summary>Says where each job type's jobs run, for the progress header and the summary.</summary>
internal static class ExecutorDescription
{
    /// <summary>
    /// <c>in-process</c> when every type runs here; otherwise each executor with its types, a pool with its URLs:
    /// <c>runners (http://127.0.0.1:5080): massMessage, refreshLinks</c>.
    /// </summary>
    public static string Describe(DispatcherOptions options, IEnumerable<string> types)
    {
        var pools = options.RunnerPools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var groups = types.GroupBy(t => options.RuleFor(t).Runner ?? "", StringComparer.Ordinal).ToList();
        if (groups.All(g => g.Key.Length == 0))
        {
            return "in-process";
        }
        return string.Join("; ", groups.Select(g =>
        {
            var name = g.Key.Length == 0
                ? "in-process"
                : pools.TryGetValue(g.Key, out var pool) ? $"{g.Key} ({string.Join(", ", pool.Urls)})" : g.Key;
            return $"{name}: {string.Join(", ", g)}";
        }));
    }
}
