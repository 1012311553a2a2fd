namespace Courier.Server.Contracts;

/// <summary>What the replay check found for one job type (its job topic and retry tiers together).</summary>
internal sealed class ReplayTypeResult
{
    /// <summary>The job type, from the topic name.</summary>
    public required string JobType { get; init; }

    /// <summary>Records checked: written since the cut-off, up to the sample size.</summary>
    public int Read { get; internal set; }

    /// <summary>Records that decode.</summary>
    public int Decoded { get; internal set; }

    /// <summary>Records that do not.</summary>
    public int Failed => Read - Decoded;

    /// <summary>Failures by decode reason.</summary>
    public IReadOnlyDictionary<string, int> FailedByReason => _byReason;

    /// <summary>The first few failures (at most <see cref="ContractReplay.MaxExamples"/>).</summary>
    public IReadOnlyList<ReplayFailure> Examples => _examples;

    private readonly SortedDictionary<string, int> _byReason = new(StringComparer.Ordinal);
    private readonly List<ReplayFailure> _examples = [];

    internal void Add(LogRecord record, ContractVerdict verdict)
    {
        Read++;
        if (verdict.Success)
        {
            Decoded++;
            return;
        }
        var reason = verdict.Reason!;
        _byReason[reason] = _byReason.GetValueOrDefault(reason) + 1;
        if (_examples.Count < ContractReplay.MaxExamples)
        {
            _examples.Add(new ReplayFailure(record.Position, verdict.ParamsVersion, reason, verdict.Error ?? reason));
        }
    }
}
