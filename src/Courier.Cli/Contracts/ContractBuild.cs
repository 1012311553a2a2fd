using Courier.Server.Configuration;
using Courier.Server.Contracts;
using Courier.Server.Demo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.Cli.Contracts;

/// <summary>
/// The decoding of the current build as the CLI's own service runs it (`courier up`, `serve`, `runner`): the demo
/// handlers, the configuration's params schemas (the demo's when it names none) and its strictness switches. The demo
/// handlers' inbox is opened in a temporary directory, since no handler runs.
/// </summary>
internal sealed class ContractBuild : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _scratch;

    private ContractBuild(ServiceProvider services, string scratch, CourierOptions options, JobHandlerRegistry handlers)
    {
        _services = services;
        _scratch = scratch;
        Options = options;
        Handlers = handlers;
        Verifier = new ContractVerifier(options, handlers);
    }

    public CourierOptions Options { get; }

    public JobHandlerRegistry Handlers { get; }

    public ContractVerifier Verifier { get; }

    /// <summary>The schema directory in use.</summary>
    public string SchemaDirectory => Options.ParamsSchemas?.Directory ?? DemoSchemas.Directory;

    public static ContractBuild Create(CourierConfig? config)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"courier-contract-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        var services = new ServiceCollection();
        services.AddLogging();
        var courier = services.AddCourier(o => config?.ApplyTo(o, new DispatcherOptions()));
        courier.AddDemoHandlers(Path.Combine(scratch, "demo.db"));
        var schemas = config?.ParamsSchemas;
        // As the service does: strict with the demo schemas, lenient by default with a configured directory.
        courier.UseParamsSchemas(schemas?.Directory ?? DemoSchemas.Directory, schemas?.RequireSchemas ?? schemas?.Directory is null);
        var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<CourierOptions>>().Value;
            return new ContractBuild(provider, scratch, options, provider.GetRequiredService<JobHandlerRegistry>());
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless; the command's result is what matters.
        }
    }
}
