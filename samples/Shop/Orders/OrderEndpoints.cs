using Courier;
using Shop.Invoices;
using Shop.Receipts;

namespace Shop.Orders;

/// <summary><c>POST /orders</c> takes an order and enqueues its jobs; <c>GET /orders/{id}</c> shows what they produced.</summary>
public static class OrderEndpoints
{
    /// <summary>The tenant the shop's jobs carry (the job event's <c>database</c>, also its partitioning key).</summary>
    private const string Database = "shop";

    /// <summary>Maps the order endpoints.</summary>
    public static void MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", PlaceAsync);
        app.MapGet("/orders/{id}", ShowAsync);
    }

    private static async Task<IResult> PlaceAsync(OrderRequest order, OrderStore store, CourierClient courier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(order.Email) || order.Lines is not { Count: > 0 } || order.Lines.Any(l => l.Quantity < 1))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["an email and at least one line of quantity 1 or more"] });
        }
        var id = await store.AddAsync(order, cancellationToken);
        var total = order.Lines.Sum(l => l.Quantity * l.UnitPrice);
        var receipt = await courier.EnqueueAsync(new JobRequest
        {
            Type = SendReceiptHandler.JobType,
            Database = Database,
            Params = new ReceiptParams(id, order.Email, total),
        }, cancellationToken);
        var invoice = await courier.EnqueueAsync(new JobRequest
        {
            Type = InvoiceParams.JobType,
            Database = Database,
            Params = new InvoiceParams(id, order.Customer, order.Lines),
        }, cancellationToken);
        return Results.Accepted($"/orders/{id}", new { id, jobs = new[] { receipt.Id, invoice.Id } });
    }

    private static async Task<IResult> ShowAsync(string id, OrderStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } order)
        {
            return Results.NotFound();
        }
        var receipt = await OrderStore.ReadAsync(store.Receipts, id, cancellationToken);
        var invoice = await OrderStore.ReadAsync(store.Invoices, id, cancellationToken);
        return Results.Ok(new { id, order.Customer, complete = receipt is not null && invoice is not null, receipt, invoice });
    }
}
