using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Demo;

public sealed class DemoInboxTests
{
    [Fact]
    public async Task Inbox_KeepsEveryConcurrentDelivery_AcrossReopen()
    {
        using var dir = new TempDirectory();
        var path = dir.File("demo.db");
        await using (var inbox = DemoInbox.Open(path))
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
                inbox.DeliverAsync(new InboxMessage($"job-{i % 250}", "r", "User_talk:R", "s", "b")).AsTask()));
        }

        await using var reopened = DemoInbox.Open(path);

        // Redeliveries are rows too (50 jobs delivered twice): duplicates stay visible.
        Assert.Equal(300, await reopened.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(250, await reopened.CountDistinctJobsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Open_ThrowsDataFileException_NamingTheFile_WhenItIsNotADatabase()
    {
        using var dir = new TempDirectory();
        var path = dir.File("demo.db");
        await File.WriteAllTextAsync(path, new string('x', 4096), TestContext.Current.CancellationToken);

        var e = Assert.Throws<DataFileException>(() => DemoInbox.Open(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
