using System.Text.Json;

namespace Shop.Orders;

/// <summary>
/// Orders, receipts and invoices as files under the data directory: <c>orders/{id}.json</c>, written by the endpoint;
/// <c>receipts/{id}.txt</c>, by the in-process handler; <c>invoices/{id}.txt</c>, by the runner (which shares the folder).
/// </summary>
public sealed class OrderStore(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The folder of receipts.</summary>
    public string Receipts => Path.Combine(dataDirectory, "receipts");

    /// <summary>The folder of invoices.</summary>
    public string Invoices => Path.Combine(dataDirectory, "invoices");

    private string Orders => Path.Combine(dataDirectory, "orders");

    /// <summary>Saves a new order and returns its id.</summary>
    public async Task<string> AddAsync(OrderRequest order, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Orders);
        await File.WriteAllTextAsync(Path.Combine(Orders, id + ".json"), JsonSerializer.Serialize(order, Json), cancellationToken);
        return id;
    }

    /// <summary>The order, or null when there is none with this id.</summary>
    public async Task<OrderRequest?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Orders, Path.GetFileName(id) + ".json");
        return File.Exists(path)
            ? JsonSerializer.Deserialize<OrderRequest>(await File.ReadAllTextAsync(path, cancellationToken), Json)
            : null;
    }

    /// <summary>The text of a document of the order (a receipt or an invoice), or null while it is not written.</summary>
    public static async Task<string?> ReadAsync(string folder, string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, Path.GetFileName(id) + ".txt");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    /// <summary>
    /// Writes a document whole or not at all (a temporary file, then a rename), so a job that runs twice, or is
    /// stopped halfway, never leaves half a receipt for <see cref="ReadAsync"/> to show.
    /// </summary>
    public static async Task WriteAsync(string folder, string id, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Path.GetFileName(id) + ".txt");
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
