using Courier;
using Shop.Runner.Invoices;

var builder = WebApplication.CreateBuilder(args);
var data = Path.GetFullPath(builder.Configuration["Shop:DataDirectory"] ?? "../shop-data", builder.Environment.ContentRootPath);
builder.Services.AddSingleton(new InvoiceFolder(data));

// The runner endpoint and its handler. Requests must be signed with a key of COURIER_RUNNER_KEYS (docs/runners.md).
builder.Services
    .AddCourierRunner(o => o.MaxConcurrency = builder.Configuration.GetValue("Runner:MaxConcurrency", 8))
    .AddHandler<RenderInvoiceHandler, InvoiceParams>(RenderInvoiceHandler.JobType);

var app = builder.Build();
app.MapCourierRunner();          // POST /rpc/RunSingleJob
app.MapCourierRunnerHealth();    // GET /health/live, /health/ready
app.Run();
