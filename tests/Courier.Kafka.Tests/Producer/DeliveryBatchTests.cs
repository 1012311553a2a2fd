using Confluent.Kafka;
using Courier.Kafka.Configuration;
using Courier.Kafka.Producer;
using Xunit;

namespace Courier.Kafka.Tests.Producer;

/// <summary>
/// A failed delivery says whether the record may have been written all the same (sent, no answer before the error),
/// since the dispatcher's retry of that write may then duplicate it.
/// </summary>
public sealed class DeliveryBatchTests
{
    [Theory]
    [InlineData(PersistenceStatus.PossiblyPersisted, true, true)]
    [InlineData(PersistenceStatus.NotPersisted, true, false)]
    [InlineData(PersistenceStatus.PossiblyPersisted, false, false)] // the reports carry no status: it says nothing
    public async Task AFailedDelivery_SaysWhenTheRecordMayHaveBeenWrittenAllTheSame(PersistenceStatus status, bool reportsStatus, bool says)
    {
        var batch = new DeliveryBatch(1, reportsStatus);
        batch.HandlerFor(0)(new DeliveryReport<string?, byte[]>
        {
            Topic = "courier.error",
            Partition = 3,
            Error = new Error(ErrorCode.MsgSizeTooLarge),
            Status = status,
        });

        var error = await Assert.ThrowsAsync<JobLogException>(() => batch.Task);
        Assert.StartsWith("Kafka did not accept a record for courier.error[3]: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(says, error.Message.Contains("may have been written all the same", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, true)] // Courier's default
    [InlineData("status", true)]
    [InlineData("key, status", true)]
    [InlineData("all", true)]
    [InlineData("none", false)]
    [InlineData("key,value", false)]
    public void DeliveryReports_CarryTheStatus_UnlessTheUserTurnedItOff(string? fields, bool reportsStatus)
    {
        var options = new KafkaJobLogOptions { BootstrapServers = "k:9092", Producer = new ProducerConfig() };
        if (fields is not null)
        {
            options.Producer.Set("dotnet.producer.delivery.report.fields", fields);
        }
        Assert.Equal(reportsStatus, ClientConfigs.ReportsStatus(ClientConfigs.Producer(options)));
    }
}
