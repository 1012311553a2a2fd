using System.Text.Json;
using Courier.Testing;
using Xunit;

namespace Courier.Tests.Handling;

public sealed class JobHandlerRegistryTryBindTests
{
    public sealed record Title(int Namespace, string Dbkey);

    public sealed record Params(Title Title, string Recipient);

    private static JobEvent Event(string type, string parameters, string? version = null, string? pageTitle = null) => new()
    {
        Meta = new JobMeta { Id = "job-1", Dt = DateTimeOffset.UnixEpoch, ParamsVersion = version },
        Database = "metawiki",
        Type = type,
        Params = JsonElement.Parse(parameters),
        PageNamespace = pageTitle is null ? null : 3,
        PageTitle = pageTitle,
    };

    private static (JobHandlerRegistry Registry, Func<int> Runs) Registry()
    {
        var runs = 0;
        var registry = new JobHandlerRegistry(new CourierOptions());
        registry.Add("massMessage", new DelegateHandler<Params>((_, _, _) =>
        {
            runs++;
            return ValueTask.FromResult(JobResult.Success);
        }));
        return (registry, () => runs);
    }

    [Fact]
    public void TryBind_Succeeds_WithoutRunningTheHandler()
    {
        var (registry, runs) = Registry();

        var bound = registry.TryBind(Event("massMessage", """{"title":{"namespace":3,"dbkey":"X"},"recipient":"X"}"""), out var reason, out var error);

        Assert.True(bound, error);
        Assert.Null(reason);
        Assert.Equal(0, runs());
    }

    [Fact]
    public void TryBind_FailsWithBinding_WhenParamsDoNotFitTheHandlersType()
    {
        var (registry, runs) = Registry();

        var bound = registry.TryBind(Event("massMessage", """{"title":"User_talk:X","recipient":"X"}"""), out var reason, out var error);

        Assert.False(bound);
        Assert.Equal("binding", reason);
        Assert.Contains("params do not bind to Params", error, StringComparison.Ordinal);
        Assert.Contains("$.title", error, StringComparison.Ordinal);
        Assert.Equal(0, runs());
    }

    [Fact]
    public void TryBind_FailsWithUnknownType_WhenNoHandlerIsRegistered()
    {
        var (registry, _) = Registry();

        Assert.False(registry.TryBind(Event("refreshLinks", "{}"), out var reason, out var error));
        Assert.Equal("unknown_type", reason);
        Assert.Contains("refreshLinks", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBind_RunsTheConverterChain_BeforeBinding()
    {
        var (registry, runs) = Registry();
        registry.AddConverter("massMessage", "1.x", "2.0.0", e => JsonSerializer.SerializeToElement(new
        {
            title = new { @namespace = e.PageNamespace, dbkey = e.PageTitle },
            recipient = e.Params.GetProperty("recipient").GetString(),
        }));

        Assert.True(registry.TryBind(Event("massMessage", """{"recipient":"X"}""", "1.0.0", pageTitle: "X"), out var error), error);
        Assert.Equal(0, runs());
    }

    [Fact]
    public void TryBind_FailsWithConverter_WhenTheConverterThrows()
    {
        var (registry, _) = Registry();
        registry.AddConverter("massMessage", "1.x", "2.0.0", _ => throw new InvalidOperationException("no page_title"));

        Assert.False(registry.TryBind(Event("massMessage", """{"recipient":"X"}""", "1.0.0"), out var reason, out var error));
        Assert.Equal("converter", reason);
        Assert.Contains("no page_title", error, StringComparison.Ordinal);
    }
}
