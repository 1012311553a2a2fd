using System.Text;
using Confluent.Kafka;
using Courier.Kafka.Consumer;
using Xunit;

namespace Courier.Kafka.Tests.Consumer;

/// <summary>The consumer's key reader gives exactly what Confluent.Kafka's UTF-8 deserializer gives, sharing repeats.</summary>
public sealed class RecordKeyDeserializerTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Key, "mediawiki.job.t");

    [Fact]
    public void Deserialize_GivesWhatTheUtf8DeserializerGives_ForAnyBytes()
    {
        var keys = new RecordKeyDeserializer();
        var random = new Random(16);
        for (var i = 0; i < 20_000; i++)
        {
            // Few distinct short keys (so slots are hit, reused and collide), some invalid UTF-8, some long or empty.
            var length = random.Next(10) == 0 ? random.Next(0, 100) : random.Next(1, 4);
            var bytes = new byte[length];
            for (var j = 0; j < length; j++)
            {
                bytes[j] = (byte)(random.Next(8) == 0 ? random.Next(256) : 'a' + random.Next(3));
            }

            Assert.Equal(Deserializers.Utf8.Deserialize(bytes, false, Context), keys.Deserialize(bytes, false, Context));
        }
        Assert.Null(keys.Deserialize([], true, Context));
    }

    [Fact]
    public void Deserialize_ReturnsTheSameInstance_ForARepeatedKey()
    {
        var keys = new RecordKeyDeserializer();

        var first = keys.Deserialize(Encoding.UTF8.GetBytes("enwiki"), false, Context);
        var again = keys.Deserialize(Encoding.UTF8.GetBytes("enwiki"), false, Context);

        Assert.Equal("enwiki", first);
        Assert.Same(first, again);
    }
}
