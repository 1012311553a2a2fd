namespace Shop.Runner.Invoices;

/// <summary>The params of a <c>renderInvoice</c> job, as the shop enqueues them.</summary>
public sealed record InvoiceParams(string OrderId, string Customer, IReadOnlyList<InvoiceLine> Lines);

/// <summary>One line of the order being invoiced.</summary>
public sealed record InvoiceLine(string Product, int Quantity, decimal UnitPrice);
