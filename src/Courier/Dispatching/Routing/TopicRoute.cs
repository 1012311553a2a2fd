namespace Courier.Dispatching.Routing;

/// <summary>What a consumed topic is to the dispatcher.</summary>
internal sealed record TopicRoute(TypeState Type, RouteKind Kind)
{
    public bool IsRetry => Kind == RouteKind.Retry;
}
