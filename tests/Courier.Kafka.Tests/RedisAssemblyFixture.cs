using Xunit;

// One redis-server for the whole assembly: the dispatcher suite runs on Kafka with the Redis state store.
[assembly: AssemblyFixture(typeof(Courier.Testing.RedisServerFixture))]
