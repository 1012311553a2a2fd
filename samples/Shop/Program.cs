using Courier;
using Shop;
using Shop.Health;
using Shop.Invoices;
using Shop.Orders;
using Shop.Receipts;

var builder = WebApplication.CreateBuilder(args);
var shop = builder.Configuration.GetSection("Shop").Get<ShopOptions>() ?? new ShopOptions();
var data = Path.GetFullPath(shop.DataDirectory, builder.Environment.ContentRootPath);
Directory.CreateDirectory(data);

builder.Services.AddSingleton(new OrderStore(data));

// The job log (one SQLite file), this process's dispatcher and its handler; renderInvoice goes to the runner pool.
// The pool signs its requests with the first key of COURIER_RUNNER_KEYS, which the runner must accept too.
builder.Services.AddCourier()
    .UseSqlite(Path.Combine(data, "log.db"))
    .AddHandler<SendReceiptHandler, ReceiptParams>(SendReceiptHandler.JobType)
    .ConfigureDispatcher(d =>
    {
        d.RunnerPools.Add(new RunnerPoolOptions { Name = "invoices", Urls = [shop.RunnerUrl] });
        d.Rules.Add(new JobRule { Type = SendReceiptHandler.JobType, Concurrency = shop.ReceiptConcurrency });
        d.Rules.Add(new JobRule { Type = InvoiceParams.JobType, Concurrency = shop.InvoiceConcurrency, Runner = "invoices" });
    });

builder.Services.AddHealthChecks().AddCheck<JobLogHealthCheck>("job-log");

var app = builder.Build();
app.MapOrders();
app.MapHealthChecks("/health");
app.Run();
