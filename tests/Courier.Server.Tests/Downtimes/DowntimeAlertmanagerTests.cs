using Courier.Testing.Alerting;
using System.Net.Http.Json;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Data;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

/// <summary>
/// <c>courier downtime</c> and the downtime service against a real Alertmanager (Debian's 0.25), started for each test
/// (its webhook refuses: these tests read silences and alert states, not notifications), and a data directory's store.
/// </summary>
public sealed class DowntimeAlertmanagerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("downtimes");
    private AlertmanagerProcess? _alertmanager;

    private AlertmanagerProcess Alertmanager => _alertmanager ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() =>
        _alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_alertmanager is not null)
        {
            await _alertmanager.DisposeAsync();
        }
        _dir.Dispose();
    }

    [Fact]
    public async Task Add_CreatesOneSilenceOnServiceAndInstance_ThatSilencesTheServicesAlertsOnMatchingHostsOnly()
    {
        var ct = TestContext.Current.CancellationToken;

        var add = await Add("mw13*,db1001", "T1234 reimage mw13xx");

        Assert.Equal(ExitCodes.Ok, add.ExitCode);
        using var added = JsonDocument.Parse(add.Out);
        var silenceId = added.RootElement.GetProperty("silence_id").GetString()!;
        var groupId = added.RootElement.GetProperty("group_id").GetString()!;
        var silence = (await Silences()).Single();
        Assert.Equal(silenceId, silence.GetProperty("id").GetString());
        Assert.Equal("T1234 reimage mw13xx", silence.GetProperty("comment").GetString());
        Assert.EndsWith($" courier-downtime:{groupId}", silence.GetProperty("createdBy").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [("service", "courier", false), ("instance", @"^(mw13.*|db1001)(:\d+)?$", true)],
            silence.GetProperty("matchers").EnumerateArray()
                .Select(m => (m.GetProperty("name").GetString(), m.GetProperty("value").GetString(), m.GetProperty("isRegex").GetBoolean())));
        var stored = DowntimeStore.Open(_dir.File(DowntimeStore.FileName)).List(includeEnded: false).Single();
        Assert.Equal((added.RootElement.GetProperty("downtime_id").GetString(), groupId), (stored.Id, stored.GroupId));
        Assert.Contains(silenceId, add.Out, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = Alertmanager.BaseUrl };
        using var posted = await http.PostAsJsonAsync("/api/v2/alerts", new[]
        {
            Alert("courier", "mw1301:9464"),
            Alert("courier", "db1001"),
            Alert("courier", "mw1401:9464"),
            Alert("other", "mw1301:9464"),
        }, ct);
        Assert.True(posted.IsSuccessStatusCode, Alertmanager.Tail());
        var expected = new Dictionary<string, bool>
        {
            ["courier mw1301:9464"] = true,
            ["courier db1001"] = true,
            ["courier mw1401:9464"] = false,
            ["other mw1301:9464"] = false,
        };
        Dictionary<string, bool> silenced = [];
        await Eventually.TrueAsync(async () =>
        {
            silenced = await SilencedAlerts(http, silenceId);
            return silenced.Count == expected.Count && expected.All(kv => silenced[kv.Key] == kv.Value);
        }, "Alertmanager silences exactly the service's alerts on the matching hosts",
            state: () => ValueTask.FromResult(string.Join(", ", silenced.Select(kv => $"{kv.Key}={kv.Value}"))));
    }

    [Fact]
    public async Task Cancel_ByComment_ExpiresExactlyTheMatchingDowntimes_InBothStores_PrintingEveryId()
    {
        var first = await AddJson("mw1*", "T1 reboot");
        var second = await AddJson("db1*", "T1 reboot");
        var other = await AddJson("mw2*", "T1 reboot, part 2");

        var cancel = await Run("downtime", "cancel", "--comment", "T1 reboot");

        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        foreach (var id in new[] { first.Silence, second.Silence, first.Downtime, second.Downtime })
        {
            Assert.Contains(id, cancel.Out, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(other.Silence, cancel.Out, StringComparison.Ordinal);
        var states = (await Silences()).ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("expired", states[first.Silence]);
        Assert.Equal("expired", states[second.Silence]);
        Assert.Equal("active", states[other.Silence]);
        var store = DowntimeStore.Open(_dir.File(DowntimeStore.FileName));
        Assert.Equal([other.Downtime], store.List(includeEnded: false).Select(d => d.Id));
        Assert.Equal(3, store.List(includeEnded: true).Count);

        var again = await Run("downtime", "cancel", "--comment", "T1 reboot");
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("no pending or active downtime has the comment \"T1 reboot\"", again.Error, StringComparison.Ordinal);

        var regex = await Run("downtime", "cancel", "--comment", "T1 .*part 2", "--regex");
        Assert.Equal(ExitCodes.Ok, regex.ExitCode);
        Assert.Contains(other.Silence, regex.Out, StringComparison.Ordinal);
        Assert.Empty(store.List(includeEnded: false));
    }

    [Fact]
    public async Task Cancel_DryRun_PrintsWhatItWouldCancel_AndChangesNothing()
    {
        var added = await AddJson("mw1*", "T1 reboot");

        var dryRun = await Run("downtime", "cancel", "--comment", "T1 reboot", "--dry-run");

        Assert.Equal(ExitCodes.Ok, dryRun.ExitCode);
        Assert.Contains($"would expire Alertmanager silence {added.Silence}", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains($"would cancel store downtime {added.Downtime}", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal("active", (await Silences()).Single().GetProperty("status").GetProperty("state").GetString());
        Assert.Equal([added.Downtime], DowntimeStore.Open(_dir.File(DowntimeStore.FileName)).List(includeEnded: false).Select(d => d.Id));
    }

    [Fact]
    public async Task Add_OverSevenDays_IsRefusedWithoutForce_AndWritesNothing()
    {
        var refused = await Add("mw1*", "long", "8d");
        var forced = await Add("mw1*", "long", "8d", "--force");

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("over the maximum of 7 days (allowed with --force)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);
        Assert.Single(await Silences());
        Assert.Single(DowntimeStore.Open(_dir.File(DowntimeStore.FileName)).List(includeEnded: true));
    }

    [Fact]
    public async Task List_ShowsTheStoresDowntimes_AndOnlyTheSilencesCourierCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        var added = await AddJson("mw1*", "T1 reboot");
        using (var silences = new AlertmanagerSilences(Alertmanager.BaseUrl))
        {
            await silences.CreateAsync(new Silence
            {
                Matchers = [new SilenceMatcher("alertname", "Other", IsRegex: false)],
                StartsAt = DateTimeOffset.UtcNow,
                EndsAt = DateTimeOffset.UtcNow.AddHours(1),
                CreatedBy = "someone else",
                Comment = "not ours",
            }, ct);
        }

        var list = await Run("downtime", "list", "--json");

        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        using var doc = JsonDocument.Parse(list.Out);
        Assert.Equal(added.Downtime, doc.RootElement.GetProperty("downtimes").EnumerateArray().Single().GetProperty("id").GetString());
        var silence = doc.RootElement.GetProperty("silences").EnumerateArray().Single();
        Assert.Equal(added.Silence, silence.GetProperty("id").GetString());
        Assert.Equal(added.Group, silence.GetProperty("group_id").GetString());
    }

    [Fact]
    public async Task Alertmanager_RefusingASilence_IsAnErrorCarryingItsAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var silences = new AlertmanagerSilences(Alertmanager.BaseUrl);

        var e = await Assert.ThrowsAsync<AlertmanagerException>(() => silences.CreateAsync(new Silence
        {
            Matchers = [new SilenceMatcher("instance", "(", IsRegex: true)],
            StartsAt = DateTimeOffset.UtcNow,
            EndsAt = DateTimeOffset.UtcNow.AddHours(1),
            CreatedBy = "test",
            Comment = "bad regex",
        }, ct));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("refused to create a silence: 400", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing closing )", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_Add_TakesTheSilenceBack_WhenTheStoreFailsAfterAlertmanagerCreatedIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = DowntimeStore.Open(_dir.File(DowntimeStore.FileName));
        using (var connection = new SqliteConnection($"Data Source={store.Path};Pooling=false"))
        {
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE downtimes";
            drop.ExecuteNonQuery();
        }
        using var silences = new AlertmanagerSilences(Alertmanager.BaseUrl);
        var service = new DowntimeService(store, silences);

        await Assert.ThrowsAsync<DataFileException>(() => service.AddAsync(new DowntimeRequest
        {
            Service = "courier",
            Hosts = "mw1*",
            StartsAt = DateTimeOffset.UtcNow,
            Duration = TimeSpan.FromHours(1),
            Comment = "T1 reboot",
            CreatedBy = "ops@host",
        }, ct));

        Assert.Equal("expired", Assert.Single(await silences.ListAsync(ct)).State);
    }

    private Task<CliResult> Add(string hosts, string comment, string duration = "2h", params string[] more) =>
        Run(["downtime", "add", "--service", "courier", "--hosts", hosts, "--duration", duration, "--comment", comment, "--json", .. more]);

    /// <summary>Runs <c>courier</c> on this test's data directory and Alertmanager.</summary>
    private Task<CliResult> Run(params string[] args) =>
        CliRun.RunAsync([.. args, "--data", _dir.Path, "--alertmanager", Alertmanager.BaseUrl.AbsoluteUri], CancellationToken.None);

    private async Task<(string Downtime, string Silence, string Group)> AddJson(string hosts, string comment)
    {
        var add = await Add(hosts, comment);
        Assert.True(add.ExitCode == ExitCodes.Ok, add.Error);
        using var doc = JsonDocument.Parse(add.Out);
        var root = doc.RootElement;
        return (root.GetProperty("downtime_id").GetString()!, root.GetProperty("silence_id").GetString()!, root.GetProperty("group_id").GetString()!);
    }

    private async Task<List<JsonElement>> Silences()
    {
        using var http = new HttpClient { BaseAddress = Alertmanager.BaseUrl };
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v2/silences", UriKind.Relative), TestContext.Current.CancellationToken));
        return [.. doc.RootElement.EnumerateArray().Select(s => s.Clone())];
    }

    private static object Alert(string service, string instance) => new
    {
        labels = new Dictionary<string, string> { ["alertname"] = "CourierJobTypeFailing", ["service"] = service, ["instance"] = instance },
    };

    /// <summary>Each alert ("service instance") and whether <paramref name="silenceId"/> silences it.</summary>
    private static async Task<Dictionary<string, bool>> SilencedAlerts(HttpClient http, string silenceId)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v2/alerts", UriKind.Relative), TestContext.Current.CancellationToken));
        return doc.RootElement.EnumerateArray().ToDictionary(
            a => $"{a.GetProperty("labels").GetProperty("service").GetString()} {a.GetProperty("labels").GetProperty("instance").GetString()}",
            a => a.GetProperty("status").GetProperty("silencedBy").EnumerateArray().Any(s => s.GetString() == silenceId));
    }
}
