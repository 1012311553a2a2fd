namespace Shop.Receipts;

/// <summary>The params of a <c>sendReceipt</c> job.</summary>
public sealed record ReceiptParams(string OrderId, string Email, decimal Total);
