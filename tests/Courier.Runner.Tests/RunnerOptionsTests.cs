using System.Net;
using Courier.Runner.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Courier.Runner.Tests;

/// <summary>
/// Where keys come from and what the runner refuses to start with. These tests read or set the process's
/// COURIER_RUNNER_KEYS, so they live in one class (xunit runs a class's tests one at a time); every other test
/// configures its keys and never reads the variable.
/// </summary>
public sealed class RunnerOptionsTests
{
    [Fact]
    public async Task Runner_RefusesToStart_WithoutKeys()
    {
        var previous = Environment.GetEnvironmentVariable(RunnerKey.EnvironmentVariable);
        Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, null);
        try
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRunner.StartAsync(addKey: false));
            Assert.Contains("no signing keys", e.Message, StringComparison.Ordinal);
            Assert.Contains(RunnerKey.EnvironmentVariable, e.Message, StringComparison.Ordinal);
            Assert.Contains("RequireSignature = false", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task Runner_ReadsKeysFromTheEnvironment_WhenNoneAreConfigured()
    {
        var previous = Environment.GetEnvironmentVariable(RunnerKey.EnvironmentVariable);
        var fromEnv = new RunnerKey("env1", "environment-secret-0123456789");
        Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, "env1=environment-secret-0123456789, env2=second-secret-0123456789");
        try
        {
            await using var runner = await TestRunner.StartAsync(addKey: false);

            using var accepted = await runner.PostAsync(TestJobs.Event("ok"), key: fromEnv);
            using var refused = await runner.PostAsync(TestJobs.Event("ok"), key: TestRunner.Key);

            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            await ErrorBody.ExpectAsync(refused, HttpStatusCode.Forbidden, "permanent");
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task Runner_RefusesToStart_WhenTheEnvironmentsKeysAreMalformed_WithoutEchoingThem()
    {
        var previous = Environment.GetEnvironmentVariable(RunnerKey.EnvironmentVariable);
        Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, "this-is-a-secret-without-an-id");
        try
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRunner.StartAsync(addKey: false));
            Assert.Contains(RunnerKey.EnvironmentVariable, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("this-is-a-secret", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RunnerKey.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task Runner_RefusesToStart_WithNonsenseLimits()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestRunner.StartAsync(o =>
        {
            o.MaxConcurrency = 0;
            o.ExecutionLimit = TimeSpan.Zero;
            o.ReplayCacheCapacity = 0;
        }));

        Assert.Contains("MaxConcurrency", e.Message, StringComparison.Ordinal);
        Assert.Contains("ReplayCacheCapacity must be at least 1, got 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("ExecutionLimit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCourierRunner_Refuses_AfterAddCourier_SoHandlersAreNotLost()
    {
        var services = new ServiceCollection();
        services.AddCourier();

        var e = Assert.Throws<InvalidOperationException>(() => services.AddCourierRunner());

        Assert.Contains("CourierBuilder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCourierRunner_OnACourierBuilder_ServesItsHandlers()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelLoopback();
        var handler = new TestHandler();
        builder.Services.AddCourier().DisableDispatcher().AddHandler<TestParams>(TestJobs.Type, handler)
            .AddCourierRunner(o => o.RequireSignature = false);
        await using var app = builder.Build();
        app.MapCourierRunner();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = app.BaseUrl() };
        using var content = new ByteArrayContent(TestJobs.Event("ok"));
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync(RunnerProtocol.DefaultPath, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(handler.Calls);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void MapCourierRunner_SaysWhatIsMissing_WithoutAddCourierRunner()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapCourierRunner());

        Assert.Contains("AddCourierRunner", e.Message, StringComparison.Ordinal);
    }
}
