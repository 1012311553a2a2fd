using Courier.Recurring;
using Courier.Server.Configuration;
using Courier.Server.Tests.Support;
using Courier.Testing;
using Xunit;

namespace Courier.Server.Tests.Configuration;

/// <summary>
/// The top-level <c>recurring</c> list and a rule's <c>rate_limit</c>: read into <see cref="DispatcherOptions.Recurring"/>
/// and <see cref="JobRule.RateLimit"/>, refused with the entry and key named when wrong.
/// </summary>
public sealed class RecurringConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("recurring-config");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_ReadsRecurringJobs_WithTheirDefaults()
    {
        var dispatcher = Load("""
            recurring:
              - name: purge-caches
                type: htmlCacheUpdate
                cron: "*/10 * * * * *"
                time_zone: Europe/Berlin
                params: '{"pages": []}'
                database: enwiki
                catch_up: all
                max_catch_up: 3
              - { name: nightly, type: refreshLinks, cron: "30 2 * * *" }
            """);

        Assert.Equal(["purge-caches", "nightly"], dispatcher.Recurring.Select(r => r.Name));
        var purge = dispatcher.Recurring[0];
        Assert.Equal(("htmlCacheUpdate", "*/10 * * * * *", "Europe/Berlin", "enwiki", CatchUp.All, 3),
            (purge.Type, purge.Cron, purge.TimeZone, purge.Database, purge.CatchUp, purge.MaxCatchUp));
        Assert.Equal(0, purge.Params.GetProperty("pages").GetArrayLength());
        var nightly = dispatcher.Recurring[1];
        Assert.Equal(("UTC", "courier-recurring", CatchUp.Once, 10), (nightly.TimeZone, nightly.Database, nightly.CatchUp, nightly.MaxCatchUp));
    }

    [Theory]
    [InlineData("recurring:\n  - { name: a, type: t, cron: 'every day' }\n", "recurring[0].cron: recurring job 'a': cron 'every day' is not a valid 5- or 6-field cron expression")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *', time_zone: Mars/Olympus }\n", "recurring[0].time_zone: recurring job 'a': time_zone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("recurring:\n  - { name: a, type: t }\n", "recurring[0]: needs 'cron'")]
    [InlineData("recurring:\n  - { type: t, cron: '* * * * *' }\n", "recurring[0]: needs 'name'")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *' }\n  - { name: a, type: u, cron: '* * * * *' }\n", "recurring[1].name: recurring job 'a' is defined more than once")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *', catch_up: twice }\n", "unknown catch-up policy 'twice' (expected skip, once or all)")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *', params: '[1]' }\n", "recurring[0].params: must be a JSON object written as text")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *', max_catch_up: 0 }\n", "recurring[0].max_catch_up: must be at least 1")]
    [InlineData("recurring:\n  - { name: a, type: t, cron: '* * * * *', every: 5s }\n", "recurring[0]: unknown key 'every'")]
    public void Load_RefusesBadRecurringJobs(string text, string expected)
    {
        var e = Assert.Throws<CourierConfigException>(() => Load(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatcher_RefusesARecurringJobOfATypeItDoesNotConsume_NamingIt()
    {
        var options = new DispatcherOptions { Rules = { new JobRule { Type = "alpha" } } };
        options.Recurring.Add(new RecurringJob { Name = "sweep", Type = "beta", Cron = "* * * * *" });
        await using var log = SqliteJobLog.Open(_directory.File("log.db"));
        using var telemetry = new CourierTelemetry();

        var e = Assert.Throws<ArgumentException>(() => new Dispatcher(log, new InProcessExecutor(new JobHandlerRegistry(new CourierOptions())),
            options, new CourierOptions(), telemetry, Microsoft.Extensions.Logging.Abstractions.NullLogger<Dispatcher>.Instance, TimeProvider.System));
        Assert.StartsWith("recurring job 'sweep': job type 'beta' is not one this dispatcher consumes (known: alpha", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsRateLimits_OverTheDefaultRule()
    {
        var dispatcher = Load("""
            dispatcher:
              defaults:
                rate_limit: { per_database: 5 }
              rules:
                refreshLinks:
                  rate_limit: { per_second: 100 }
                htmlCacheUpdate: {}
            """);

        Assert.Equal((100, 5), (dispatcher.RuleFor("refreshLinks").RateLimit!.PerSecond, dispatcher.RuleFor("refreshLinks").RateLimit!.PerDatabase));
        Assert.Equal((null, 5), (dispatcher.RuleFor("htmlCacheUpdate").RateLimit!.PerSecond, dispatcher.RuleFor("htmlCacheUpdate").RateLimit!.PerDatabase));
        Assert.Null(new DispatcherOptions().RuleFor("any").RateLimit); // off by default
    }

    [Theory]
    [InlineData("dispatcher:\n  rules:\n    t:\n      rate_limit: { per_second: 0 }\n", "dispatcher.rules.t.rate_limit.per_second: must be at least 1, got 0")]
    [InlineData("dispatcher:\n  rules:\n    t:\n      rate_limit: { per_minute: 5 }\n", "dispatcher.rules.t.rate_limit: unknown key 'per_minute'")]
    public void Load_RefusesBadRateLimits(string text, string expected)
    {
        var e = Assert.Throws<CourierConfigException>(() => Load(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private DispatcherOptions Load(string text) => TestConfig.Dispatcher(_directory.Path, text);
}
