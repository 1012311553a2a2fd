using System.Net;
using System.Text;
using Courier.Cli;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;
using Courier.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Courier.Server.Tests.Intake;

/// <summary>Which params schemas a server checks jobs against: the demo's by default, a directory from options or configuration.</summary>
public sealed class ServerSchemaConfigTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoServer_ChecksAgainstTheDemoSchemas_AndRequiresSchemas()
    {
        using var dir = new TempDirectory();
        await using var server = CourierServer.Create(new CourierServerOptions { Data = new CourierDataDirectory(dir.Path), MetricsPort = 0, ConfigureLogging = _ => { } });
        await server.StartAsync(Ct);

        var options = server.Services.GetRequiredService<IOptions<CourierOptions>>().Value;
        Assert.Equal(["htmlCacheUpdate", "massMessage", "refreshLinks"], options.ParamsSchemas!.JobTypes);
        Assert.True(options.RequireParamsSchemas);
        Assert.False(options.RequireParamsVersion);
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Server_UsesTheConfiguredDirectoryAndSwitches()
    {
        using var dir = new TempDirectory();
        var schemas = Directory.CreateDirectory(Path.Combine(dir.Path, "schemas", DemoJobTypes.RefreshLinks)).FullName;
        File.Copy(Path.Combine(DemoSchemas.Directory, DemoJobTypes.RefreshLinks, "1.0.0.json"), Path.Combine(schemas, "1.0.0.json"));
        File.Copy(Path.Combine(DemoSchemas.Directory, DemoJobTypes.RefreshLinks, "1.0.0.json"), Path.Combine(schemas, "1.1.0.json"));
        var configFile = Path.Combine(dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(configFile, $$"""
            params_schemas:
              directory: {{Path.Combine(dir.Path, "schemas")}}
              require_schemas: false
              require_version: true
            """, Ct);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            Config = CourierConfigFile.Load(configFile),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });
        await server.StartAsync(Ct);

        var options = server.Services.GetRequiredService<IOptions<CourierOptions>>().Value;
        Assert.Equal(["refreshLinks"], options.ParamsSchemas!.JobTypes);
        Assert.False(options.RequireParamsSchemas);
        Assert.True(options.RequireParamsVersion);
        var job = await server.Client.EnqueueAsync(new JobRequest
        {
            Type = DemoJobTypes.RefreshLinks,
            Database = "enwiki",
            Params = new RefreshLinksParams { Title = new PageTitle(0, "X") },
        }, Ct);
        var record = Assert.Single(await TopicReader.ReadAllAsync(server.Log, job.Position.Topic));
        Assert.Equal("1.1.0", new JobEventCodec(options).Decode(record.Value.Span).Event!.Meta.ParamsVersion);
        await server.StopAsync(Ct);
    }

    [Fact]
    public async Task Server_RefusesToStart_NamingTheBadSchemaFile()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "schemas", "refreshLinks")).FullName;
        var file = Path.Combine(folder, "1.0.0.json");
        await File.WriteAllTextAsync(file, """{"type": "object"}""", Ct);
        await using var server = CourierServer.Create(new CourierServerOptions
        {
            Data = new CourierDataDirectory(dir.Path),
            ParamsSchemaDirectory = Path.Combine(dir.Path, "schemas"),
            MetricsPort = 0,
            ConfigureLogging = _ => { },
        });

        var e = await Assert.ThrowsAnyAsync<Exception>(() => server.StartAsync(Ct));

        var schemaError = Assert.IsType<ParamsSchemaException>(e);
        Assert.StartsWith(file + ": the top level must say \"additionalProperties\": false", schemaError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ExitsWithAUsageError_NamingTheBadSchemaFile()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "schemas", "refreshLinks")).FullName;
        var file = Path.Combine(folder, "1.0.json");
        await File.WriteAllTextAsync(file, """{"type": "object", "additionalProperties": false}""", Ct);
        var configFile = Path.Combine(dir.Path, "courier.yaml");
        await File.WriteAllTextAsync(configFile, $"params_schemas:\n  directory: {Path.Combine(dir.Path, "schemas")}\n", Ct);

        var result = await CliRun.RunAsync("up", "--config", configFile, "--no-demo", "--exit-when-idle", "--metrics-port", "0", "--data", Path.Combine(dir.Path, "data"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"params schemas: {file}: the file name is not a schema version", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("params_schemas:\n  require_schemas: yes please\n", "params_schemas.require_schemas: must be true or false")]
    [InlineData("params_schemas:\n  directory: \"\"\n", "params_schemas.directory: must not be empty")]
    [InlineData("params_schemas:\n  dir: jobs/schemas\n", "params_schemas: unknown key 'dir'")]
    public void Config_RefusesABadParamsSchemasSection(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "courier.yaml");
        File.WriteAllText(path, yaml);

        var e = Assert.Throws<CourierConfigException>(() => CourierConfigFile.Load(path));

        Assert.StartsWith($"{path}: {expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_ParamsSchemasSwitches_ApplyToCourierOptions()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "courier.json");
        File.WriteAllText(path, """{"params_schemas": {"directory": "s", "require_schemas": true, "require_version": true}}""");

        var config = CourierConfigFile.Load(path);
        var options = new CourierOptions();
        config.ApplyTo(options, new DispatcherOptions());

        Assert.Equal(Path.Combine(dir.Path, "s"), config.ParamsSchemas!.Directory); // relative to the file's folder
        Assert.True(options.RequireParamsSchemas);
        Assert.True(options.RequireParamsVersion);
        Assert.Null(options.ParamsSchemas); // the directory is loaded by the host, at start
    }
}
