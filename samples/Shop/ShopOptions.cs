namespace Shop;

/// <summary>The shop's settings: the <c>Shop</c> section of appsettings.json.</summary>
public sealed class ShopOptions
{
    /// <summary>Where the job log, orders, receipts and invoices live; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "shop-data";

    /// <summary>Base URL of the runner that renders invoices (Shop.Runner).</summary>
    public Uri RunnerUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>Receipts sent at once by this process.</summary>
    public int ReceiptConcurrency { get; set; } = 4;

    /// <summary>Invoices rendered at once on the runner.</summary>
    public int InvoiceConcurrency { get; set; } = 2;
}
