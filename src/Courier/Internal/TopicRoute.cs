namespace Courier.Internal;

/// <summary>What a consumed topic is: the job topic of a type, or one of its retry tiers.</summary>
internal sealed record TopicRoute(TypeState Type, bool IsRetry);
