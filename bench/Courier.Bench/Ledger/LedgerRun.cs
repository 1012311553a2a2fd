namespace Courier.Bench.Ledger;

/// <summary>One drain of the workload with the ledger off or on, in one round.</summary>
internal sealed record LedgerRun
{
    /// <summary><c>sqlite</c> or <c>kafka</c>.</summary>
    public required string Engine { get; init; }

    /// <summary>Whether the dispatcher wrote the outcome ledger.</summary>
    public required bool Ledger { get; init; }

    public required int Round { get; init; }

    /// <summary>Jobs succeeded from starting the dispatcher until the last one did.</summary>
    public required RateResult Rate { get; init; }

    /// <summary>Ledger entries written (0 with the ledger off).</summary>
    public required long LedgerRecords { get; init; }

    /// <summary>Produce calls that wrote them.</summary>
    public required long LedgerWrites { get; init; }

    /// <summary>The variant's name in the table: <c>ledger off</c> or <c>ledger on</c>.</summary>
    public string Variant => VariantName(Ledger);

    public static string VariantName(bool ledger) => ledger ? "ledger on" : "ledger off";
}
