using Courier.Server.Data;
using Courier.Server.Downtimes;
using Courier.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Courier.Server.Tests.Downtimes;

public sealed class DowntimeServiceTests
{
    [Fact]
    public async Task Add_TakesTheSilenceBack_WhenTheStoreFailsAfterAlertmanagerCreatedIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("downtimes");
        await using var alertmanager = await AlertmanagerProcess.StartAsync(LoopbackApp.RefusingUrl(), ct);
        var store = DowntimeStore.Open(dir.File(DowntimeStore.FileName));
        BreakTheTable(store.Path);
        using var silences = new AlertmanagerSilences(alertmanager.BaseUrl);
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

        var silence = Assert.Single(await silences.ListAsync(ct));
        Assert.Equal("expired", silence.State);
    }

    private static void BreakTheTable(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE downtimes";
        command.ExecuteNonQuery();
    }
}
