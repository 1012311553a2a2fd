using Courier.Sqlite.Topics;

namespace Courier.Sqlite.Groups;

/// <summary>
/// Decides which live member of a group should own each partition. A pure function of the members (in member id
/// order), their subscriptions and the topics, so every member computes the same answer from the same rows. Partitions
/// are walked in (topic, partition) order and each goes to the subscribed member with the fewest so far, which spreads
/// partitions evenly across topics as well as within one.
/// </summary>
internal static class PartitionAssignor
{
    public static Dictionary<string, List<TopicPartition>> Assign(
        IReadOnlyList<(string MemberId, TopicSubscription Subscription)> members, IReadOnlyList<TopicDescription> topics)
    {
        var result = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
        foreach (var (memberId, _) in members)
        {
            result[memberId] = [];
        }
        var counts = new int[members.Count];
        var eligible = new List<int>(members.Count);
        foreach (var topic in topics.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            eligible.Clear();
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].Subscription.Matches(topic.Name))
                {
                    eligible.Add(i);
                }
            }
            if (eligible.Count == 0)
            {
                continue;
            }
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                var best = eligible[0];
                foreach (var candidate in eligible)
                {
                    if (counts[candidate] < counts[best])
                    {
                        best = candidate;
                    }
                }
                counts[best]++;
                result[members[best].MemberId].Add(new TopicPartition(topic.Name, partition));
            }
        }
        return result;
    }
}
