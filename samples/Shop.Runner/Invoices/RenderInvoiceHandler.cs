using System.Globalization;
using System.Text;
using Courier;

namespace Shop.Runner.Invoices;

/// <summary>
/// Runs <c>renderInvoice</c> jobs the shop's dispatcher POSTs to this runner: writes <c>invoices/{order}.txt</c> in the
/// data directory the shop reads it from (a real runner would render a PDF into blob storage).
/// </summary>
public sealed class RenderInvoiceHandler(InvoiceFolder folder, ILogger<RenderInvoiceHandler> logger) : IJobHandler<InvoiceParams>
{
    /// <summary>The job type.</summary>
    public const string JobType = "renderInvoice";

    /// <inheritdoc />
    public async ValueTask<JobResult> HandleAsync(Job<InvoiceParams> job, JobContext context, CancellationToken cancellationToken)
    {
        var invoice = job.Params;
        if (invoice.Lines.Count == 0)
        {
            // Retrying would not help: the job is dead-lettered with this reason.
            return JobResult.Fail($"order {invoice.OrderId} has no lines to invoice");
        }
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Invoice for order {invoice.OrderId}, {invoice.Customer}\n");
        foreach (var line in invoice.Lines)
        {
            text.Append(CultureInfo.InvariantCulture, $"{line.Quantity} x {line.Product} @ {line.UnitPrice:0.00} = {line.Quantity * line.UnitPrice:0.00}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"Total: {invoice.Lines.Sum(l => l.Quantity * l.UnitPrice):0.00}\n");
        await folder.SaveAsync(invoice.OrderId, text.ToString(), cancellationToken);
        logger.LogInformation("Invoice for order {OrderId} rendered (attempt {Attempt})", invoice.OrderId, context.Attempt);
        return JobResult.Success;
    }
}
