using System.Globalization;
using Courier;
using Shop.Orders;

namespace Shop.Receipts;

/// <summary>
/// Runs <c>sendReceipt</c> jobs in this process. A real shop would hand the mail to its mail service here; this one
/// writes the receipt to <c>receipts/{order}.txt</c>, which <c>GET /orders/{id}</c> shows.
/// </summary>
public sealed class SendReceiptHandler(OrderStore store, ILogger<SendReceiptHandler> logger) : IJobHandler<ReceiptParams>
{
    /// <summary>The job type.</summary>
    public const string JobType = "sendReceipt";

    /// <inheritdoc />
    public async ValueTask<JobResult> HandleAsync(Job<ReceiptParams> job, JobContext context, CancellationToken cancellationToken)
    {
        var receipt = job.Params;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"To: {receipt.Email}\nThank you for order {receipt.OrderId}. Total: {receipt.Total:0.00}\n");
        await OrderStore.WriteAsync(store.Receipts, receipt.OrderId, text, cancellationToken);
        logger.LogInformation("Receipt for order {OrderId} sent to {Email} (attempt {Attempt})", receipt.OrderId, receipt.Email, context.Attempt);
        return JobResult.Success;
    }
}
