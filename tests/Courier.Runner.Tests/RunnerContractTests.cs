using System.Net;
using System.Text.Json;
using Courier.Runner.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// A runner with params schemas checks each job's params against the schema of the version it names, as the dispatcher
/// does: a job that breaks its contract is answered 400 <c>decode</c> with the reason and never reaches the handler.
/// </summary>
public sealed class RunnerContractTests : IDisposable
{
    private readonly string _schemas = Directory.CreateTempSubdirectory("courier-runner-schemas-").FullName;

    public RunnerContractTests()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_schemas, TestJobs.Type)).FullName;
        File.WriteAllText(Path.Combine(folder, "1.0.0.json"), """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "additionalProperties": false,
              "required": ["mode"],
              "properties": { "mode": { "type": "string" }, "message": { "type": "string" } }
            }
            """);
        // The old version stays in the directory: events written with it are still checked against it.
        File.WriteAllText(Path.Combine(folder, "0.9.0.json"), """
            {"type": "object", "additionalProperties": false, "required": ["kind"], "properties": { "kind": { "type": "string" } } }
            """);
    }

    private Task<TestRunner> StartAsync(Action<CourierBuilder>? more = null) =>
        TestRunner.StartAsync(configureCourier: courier =>
        {
            courier.UseParamsSchemas(_schemas);
            more?.Invoke(courier);
        });

    [Fact]
    public async Task Runner_Answers400Decode_WhenParamsBreakTheirSchema()
    {
        await using var runner = await StartAsync();
        var id = Guid.NewGuid().ToString();

        using var response = await runner.PostAsync(TestJobs.EventWithParams("""{"mode": "ok", "page_title": "Special:"}""", id, paramsVersion: "1.0.0"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.Equal("testJob params do not match params schema 1.0.0: params.page_title: additionalProperties: "
            + "not allowed: the schema has no such field and its content model is closed (additionalProperties: false)", error.Message);
        Assert.Empty(runner.Handler.Calls);
        var log = Assert.Single(runner.Logs.Of(4005));
        Assert.Equal(LogLevel.Error, log.Level);
        Assert.Equal(id, log.Values["JobId"]);
        Assert.Equal(1, runner.Metrics.Sum(CourierRunnerTelemetry.Requests, ("failure.class", "decode"), ("http.response.status_code", 400)));
    }

    [Fact]
    public async Task Runner_Answers400Decode_ForAParamsVersionItDoesNotHave()
    {
        await using var runner = await StartAsync();

        using var response = await runner.PostAsync(TestJobs.EventWithParams("""{"mode": "ok"}""", paramsVersion: "2.0.0"));

        var error = await ErrorBody.ExpectAsync(response, HttpStatusCode.BadRequest, "decode");
        Assert.StartsWith("job type 'testJob' has no params schema version 2.0.0 in ", error.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Handler.Calls);
    }

    [Fact]
    public async Task Runner_RunsParamsThatMatch_AndUnversionedOnesUnchecked()
    {
        await using var runner = await StartAsync();

        using var versioned = await runner.PostAsync(TestJobs.EventWithParams("""{"mode": "ok"}""", paramsVersion: "1.0.0"));
        using var unversioned = await runner.PostAsync(TestJobs.Event("ok"));

        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unversioned.StatusCode);
        Assert.Equal(2, runner.Handler.Calls.Count);
    }

    [Fact]
    public async Task Runner_AppliesParamsConverters_BeforeBinding()
    {
        // Version 0 named the field "kind"; the handler reads version 1's "mode".
        await using var runner = await StartAsync(courier => courier.AddParamsConverter(TestJobs.Type, "0.x", "1.0.0",
            e => JsonSerializer.SerializeToElement(new { mode = e.Params.GetProperty("kind").GetString() })));

        using var response = await runner.PostAsync(TestJobs.EventWithParams("""{"kind": "ok"}""", paramsVersion: "0.9.0"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", Assert.Single(runner.Handler.Calls).Job.Params.Mode);
    }

    public void Dispose() => Directory.Delete(_schemas, recursive: true);
}
