using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Server.Tests.Alerting;
using Courier.Server.Types;
using Xunit;

namespace Courier.Server.Tests.Types;

/// <summary><c>GET /v1/types</c>, <c>/v1/types/{type}</c> and <c>/v1/types/history</c> on a running dispatcher service.</summary>
public sealed class TypeEndpointsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Engines => [.. EndToEndDispatcher.Engines];

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Types_CountsMatchTheDispatchersStats_WithTheResolvedRuleStateAndLag(string engine)
    {
        await using var dispatcher = await EndToEndDispatcher.StartAsync(engine, courier => courier
            .AddHandler("typesOk", new DelegateHandler<JsonElement>((_, _, _) => ValueTask.FromResult(JobResult.Success)))
            .AddHandler("typesBad", new DelegateHandler<JsonElement>((_, _, _) => ValueTask.FromResult(JobResult.Fail("bad params"))))
            .ConfigureDispatcher(d =>
            {
                d.Rules.Add(new JobRule { Type = "typesOk", Concurrency = 7, Dedupe = new DedupePolicy { Window = TimeSpan.FromHours(6) } });
                d.Rules.Add(new JobRule { Type = "typesBad", Retry = new RetryPolicy { Limit = 0 }, Breaker = BreakerPolicy.Off, Dedupe = DedupePolicy.Off });
            }), Ct);
        var server = dispatcher.Server;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        for (var i = 0; i < 5; i++)
        {
            await server.Client.EnqueueAsync(new JobRequest { Type = "typesOk", Database = "testwiki", Params = new { i } }, Ct);
        }
        for (var i = 0; i < 3; i++)
        {
            await server.Client.EnqueueAsync(new JobRequest { Type = "typesBad", Database = "testwiki", Params = new { i } }, Ct);
        }
        JobTypeStats Stats(string type) => server.Dispatcher.GetStats().Single(s => s.Type == type);
        await Eventually.TrueAsync(() => Stats("typesOk").Succeeded == 5 && Stats("typesBad").DeadLettered == 3, "every job ended");
        server.Dispatcher.Pause("typesBad", "bad release");
        // The lag read is shared for a second: wait for one taken after the commits.
        TypeList list = null!;
        await Eventually.TrueAsync(async () =>
        {
            list = (await http.GetFromJsonAsync<TypeList>("/v1/types", Ct))!;
            return list.Types.All(t => t.Lag == 0);
        }, "the types' lag is read as committed");

        Assert.Equal(["typesBad", "typesOk"], list.Types.Select(t => t.Type));
        foreach (var view in list.Types)
        {
            Assert.Equal(JsonSerializer.Serialize(TypeCounts.From(Stats(view.Type))), JsonSerializer.Serialize(view.Counts));
            Assert.Equal("in-process", view.Executor);
        }
        var ok = list.Types.Single(t => t.Type == "typesOk");
        var bad = list.Types.Single(t => t.Type == "typesBad");
        Assert.Equal(5, ok.Counts.Succeeded);
        Assert.Equal(3, bad.Counts.DeadLetteredByClass["permanent"]);
        Assert.Equal((7, "6h", true), (ok.Rule.Concurrency, ok.Rule.Dedupe, ok.Rule.Breaker));
        Assert.Equal((0, "off", false), (bad.Rule.RetryLimit, bad.Rule.Dedupe, bad.Rule.Breaker));
        Assert.Equal(("running", null), (ok.State, ok.PausedReason));
        Assert.Equal(("paused", "bad release"), (bad.State, bad.PausedReason));
        Assert.NotNull(bad.PausedSince);

        var one = await http.GetFromJsonAsync<TypeView>("/v1/types/typesOk", Ct);
        Assert.Equal(5, one!.Counts.Succeeded);
    }

    [Fact]
    public async Task UnknownType_Is404WithTheKnownTypes_AndHistoryAnswersForAllTypesOrOne()
    {
        await using var dispatcher = await EndToEndDispatcher.StartAsync("sqlite", courier => courier
            .AddHandler("typesOk", new DelegateHandler<JsonElement>((_, _, _) => ValueTask.FromResult(JobResult.Success)))
            .ConfigureDispatcher(d => d.Rules.Add(new JobRule { Type = "typesOk" })), Ct);
        using var http = new HttpClient { BaseAddress = dispatcher.Server.BaseUrl };

        using var missing = await http.GetAsync("/v1/types/nope", Ct);
        using var missingHistory = await http.GetAsync("/v1/types/history?type=nope", Ct);
        var all = await http.GetFromJsonAsync<JsonElement>("/v1/types/history", Ct);
        var one = await http.GetFromJsonAsync<JsonElement>("/v1/types/history?type=typesOk", Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var error = await missing.Content.ReadFromJsonAsync<UnknownType>(Ct);
        Assert.Equal("unknown job type 'nope'", error!.Error);
        Assert.Contains("typesOk", error.Known);
        Assert.Equal(HttpStatusCode.NotFound, missingHistory.StatusCode);
        Assert.Equal(10, all.GetProperty("interval_seconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, all.GetProperty("type").ValueKind);
        Assert.Equal("typesOk", one.GetProperty("type").GetString());
        foreach (var series in new[] { "times", "throughput", "failures", "lag" })
        {
            Assert.Equal(JsonValueKind.Array, one.GetProperty(series).ValueKind);
        }
    }

    [Fact]
    public async Task State_IsBreakerOpenWhileTheBreakerPausesTheType_AndPausedOnceAnOperatorDoesToo()
    {
        await using var dispatcher = await EndToEndDispatcher.StartAsync("sqlite", courier => courier
            .AddHandler("typesFlaky", new DelegateHandler<JsonElement>((_, _, _) => ValueTask.FromResult(JobResult.Fail("down"))))
            .ConfigureDispatcher(d => d.Rules.Add(new JobRule
            {
                Type = "typesFlaky",
                Retry = new RetryPolicy { Limit = 0 },
                Dedupe = DedupePolicy.Off,
                Breaker = new BreakerPolicy { MinSamples = 4, FailureRatio = 0.5, OpenFor = TimeSpan.FromHours(1), MaxOpenFor = TimeSpan.FromHours(1) },
            })), Ct);
        var server = dispatcher.Server;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        for (var i = 0; i < 8; i++)
        {
            await server.Client.EnqueueAsync(new JobRequest { Type = "typesFlaky", Database = "testwiki", Params = new { i } }, Ct);
        }
        await Eventually.TrueAsync(() => server.Dispatcher.GetStats().Single().BreakerState == "open", "the breaker opened");

        var open = await http.GetFromJsonAsync<TypeView>("/v1/types/typesFlaky", Ct);
        server.Dispatcher.Pause("typesFlaky", "investigating");
        var both = await http.GetFromJsonAsync<TypeView>("/v1/types/typesFlaky", Ct);

        Assert.Equal("breaker_open", open!.State);
        Assert.NotNull(open.PausedReason);
        Assert.True(open.Rule.Breaker);
        Assert.Equal("paused", both!.State);
        Assert.Contains("investigating", both.PausedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredTypes_AnswerInOneRequest_WithTheLagOfEach()
    {
        var types = Enumerable.Range(0, 200).Select(i => $"many{i:000}").ToList();
        await using var dispatcher = await EndToEndDispatcher.StartAsync("sqlite", courier =>
        {
            foreach (var type in types)
            {
                courier.AddHandler(type, new DelegateHandler<JsonElement>((_, _, _) => ValueTask.FromResult(JobResult.Success)));
            }
            courier.ConfigureDispatcher(d =>
            {
                foreach (var type in types)
                {
                    d.Rules.Add(new JobRule { Type = type, Concurrency = 1 });
                }
            });
        }, Ct);
        var server = dispatcher.Server;
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        // Paused, each type's jobs wait in the log: i % 3 + 1 of them, its lag.
        foreach (var type in types)
        {
            server.Dispatcher.Pause(type, "holding for the test");
        }
        for (var i = 0; i < types.Count; i++)
        {
            for (var j = 0; j <= i % 3; j++)
            {
                await server.Client.EnqueueAsync(new JobRequest { Type = types[i], Database = "testwiki", Params = new { j } }, Ct);
            }
        }

        TypeList list = null!;
        await Eventually.TrueAsync(async () =>
        {
            list = (await http.GetFromJsonAsync<TypeList>("/v1/types", Ct))!;
            return list.Types.Sum(t => t.Lag) == types.Select((_, i) => i % 3 + 1).Sum();
        }, "every enqueued job counted in its type's lag");

        Assert.Equal(types, list.Types.Select(t => t.Type));
        Assert.All(list.Types, t => Assert.Equal(types.IndexOf(t.Type) % 3 + 1, t.Lag));
        Assert.All(list.Types, t => Assert.Equal("paused", t.State));
        Assert.All(list.Types, t => Assert.Equal(0, t.Counts.Started));
    }
}
