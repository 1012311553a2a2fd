using System.Net.Http.Json;
using System.Text.Json;
using Courier.Cli;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary><c>courier downtime</c> against a real Alertmanager (Debian's 0.25) and the data directory's store.</summary>
public sealed class DowntimeAlertmanagerTests
{
    [Fact]
    public async Task Add_CreatesOneSilenceOnServiceAndInstance_ThatSilencesTheServicesAlertsOnMatchingHostsOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);

        var add = await Add(dir, alertmanager, "mw13*,db1001", "T1234 reimage mw13xx");

        Assert.Equal(ExitCodes.Ok, add.ExitCode);
        using var added = JsonDocument.Parse(add.Out);
        var silenceId = added.RootElement.GetProperty("silence_id").GetString()!;
        var groupId = added.RootElement.GetProperty("group_id").GetString()!;
        var silence = (await Silences(alertmanager)).Single();
        Assert.Equal(silenceId, silence.GetProperty("id").GetString());
        Assert.Equal("T1234 reimage mw13xx", silence.GetProperty("comment").GetString());
        Assert.EndsWith($" courier-downtime:{groupId}", silence.GetProperty("createdBy").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [("service", "courier", false), ("instance", @"^(mw13.*|db1001)(:\d+)?$", true)],
            silence.GetProperty("matchers").EnumerateArray()
                .Select(m => (m.GetProperty("name").GetString(), m.GetProperty("value").GetString(), m.GetProperty("isRegex").GetBoolean())));
        var stored = DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: false).Single();
        Assert.Equal((added.RootElement.GetProperty("downtime_id").GetString(), groupId), (stored.Id, stored.GroupId));
        Assert.Contains(silenceId, add.Out, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = alertmanager.BaseUrl };
        using var posted = await http.PostAsJsonAsync("/api/v2/alerts", new[]
        {
            Alert("courier", "mw1301:9464"),
            Alert("courier", "db1001"),
            Alert("courier", "mw1401:9464"),
            Alert("other", "mw1301:9464"),
        }, ct);
        Assert.True(posted.IsSuccessStatusCode, alertmanager.Tail());
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
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);
        var first = await AddJson(dir, alertmanager, "mw1*", "T1 reboot");
        var second = await AddJson(dir, alertmanager, "db1*", "T1 reboot");
        var other = await AddJson(dir, alertmanager, "mw2*", "T1 reboot, part 2");

        var cancel = await CliRun.RunAsync("downtime", "cancel", "--comment", "T1 reboot",
            "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri);

        Assert.Equal(ExitCodes.Ok, cancel.ExitCode);
        foreach (var id in new[] { first.Silence, second.Silence, first.Downtime, second.Downtime })
        {
            Assert.Contains(id, cancel.Out, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(other.Silence, cancel.Out, StringComparison.Ordinal);
        var states = (await Silences(alertmanager)).ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal("expired", states[first.Silence]);
        Assert.Equal("expired", states[second.Silence]);
        Assert.Equal("active", states[other.Silence]);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName));
        Assert.Equal([other.Downtime], store.List(includeEnded: false).Select(d => d.Id));
        Assert.Equal(3, store.List(includeEnded: true).Count);

        var again = await CliRun.RunAsync("downtime", "cancel", "--comment", "T1 reboot",
            "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri);
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("no pending or active downtime has the comment \"T1 reboot\"", again.Error, StringComparison.Ordinal);

        var regex = await CliRun.RunAsync("downtime", "cancel", "--comment", "T1 .*part 2", "--regex",
            "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri);
        Assert.Equal(ExitCodes.Ok, regex.ExitCode);
        Assert.Contains(other.Silence, regex.Out, StringComparison.Ordinal);
        Assert.Empty(store.List(includeEnded: false));
    }

    [Fact]
    public async Task Cancel_DryRun_PrintsWhatItWouldCancel_AndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);
        var added = await AddJson(dir, alertmanager, "mw1*", "T1 reboot");

        var dryRun = await CliRun.RunAsync("downtime", "cancel", "--comment", "T1 reboot", "--dry-run",
            "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri);

        Assert.Equal(ExitCodes.Ok, dryRun.ExitCode);
        Assert.Contains($"would expire Alertmanager silence {added.Silence}", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains($"would cancel store downtime {added.Downtime}", dryRun.Out, StringComparison.Ordinal);
        Assert.Equal("active", (await Silences(alertmanager)).Single().GetProperty("status").GetProperty("state").GetString());
        Assert.Equal([added.Downtime], DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: false).Select(d => d.Id));
    }

    [Fact]
    public async Task Add_OverSevenDays_IsRefusedWithoutForce_AndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);

        var refused = await Add(dir, alertmanager, "mw1*", "long", "8d");
        var forced = await Add(dir, alertmanager, "mw1*", "long", "8d", "--force");

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("over the maximum of 7 days (allowed with --force)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, forced.ExitCode);
        Assert.Single(await Silences(alertmanager));
        Assert.Single(DowntimeStore.Open(dir.File(DowntimeStore.FileName)).List(includeEnded: true));
    }

    [Fact]
    public async Task List_ShowsTheStoresDowntimes_AndOnlyTheSilencesCourierCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);
        var added = await AddJson(dir, alertmanager, "mw1*", "T1 reboot");
        using (var silences = new AlertmanagerSilences(alertmanager.BaseUrl))
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

        var list = await CliRun.RunAsync("downtime", "list", "--json", "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri);

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
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);
        using var silences = new AlertmanagerSilences(alertmanager.BaseUrl);

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

    private static Task<CliResult> Add(TempDirectory dir, AlertmanagerProcess alertmanager, string hosts, string comment,
        string duration = "2h", params string[] more) =>
        CliRun.RunAsync([.. new[] { "downtime", "add", "--service", "courier", "--hosts", hosts, "--duration", duration,
            "--comment", comment, "--json", "--data", dir.Path, "--alertmanager", alertmanager.BaseUrl.AbsoluteUri }, .. more],
            CancellationToken.None);

    private static async Task<(string Downtime, string Silence, string Group)> AddJson(TempDirectory dir, AlertmanagerProcess alertmanager,
        string hosts, string comment)
    {
        var add = await Add(dir, alertmanager, hosts, comment);
        Assert.True(add.ExitCode == ExitCodes.Ok, add.Error);
        using var doc = JsonDocument.Parse(add.Out);
        var root = doc.RootElement;
        return (root.GetProperty("downtime_id").GetString()!, root.GetProperty("silence_id").GetString()!, root.GetProperty("group_id").GetString()!);
    }

    private static async Task<List<JsonElement>> Silences(AlertmanagerProcess alertmanager)
    {
        using var http = new HttpClient { BaseAddress = alertmanager.BaseUrl };
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
