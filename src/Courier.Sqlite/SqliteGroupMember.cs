namespace Courier;

/// <summary>A live member of a consumer group in the SQLite job log, as tools such as <c>courier stats</c> show it.</summary>
/// <param name="MemberId">Unique id of the member (its client id and a random suffix).</param>
/// <param name="ClientId">The consumer's <see cref="JobLogConsumerOptions.ClientId"/>.</param>
/// <param name="Subscription">Topics (and '^' patterns) the member subscribed to.</param>
/// <param name="LastHeartbeat">When the member last heartbeated.</param>
/// <param name="Partitions">Partitions the member owns now.</param>
public sealed record SqliteGroupMember(
    string MemberId,
    string ClientId,
    IReadOnlyList<string> Subscription,
    DateTimeOffset LastHeartbeat,
    IReadOnlyList<TopicPartition> Partitions);
