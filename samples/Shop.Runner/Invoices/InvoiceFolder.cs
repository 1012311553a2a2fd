namespace Shop.Runner.Invoices;

/// <summary>The folder invoices are written to: <c>invoices</c> under the shop's data directory.</summary>
public sealed class InvoiceFolder(string dataDirectory)
{
    private readonly string _path = Path.Combine(dataDirectory, "invoices");

    /// <summary>Saves an invoice whole (a temporary file renamed into place), so the shop never shows half of one.</summary>
    public async Task SaveAsync(string orderId, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_path);
        var target = Path.Combine(_path, Path.GetFileName(orderId) + ".txt");
        var partial = $"{target}.{Environment.ProcessId}.partial";
        await File.WriteAllTextAsync(partial, text, cancellationToken);
        File.Move(partial, target, overwrite: true);
    }
}
