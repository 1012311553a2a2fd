using Shop.Orders;

namespace Shop.Invoices;

/// <summary>The params of a <c>renderInvoice</c> job, which Shop.Runner executes.</summary>
public sealed record InvoiceParams(string OrderId, string Customer, IReadOnlyList<OrderLine> Lines)
{
    /// <summary>The job type.</summary>
    public const string JobType = "renderInvoice";
}
