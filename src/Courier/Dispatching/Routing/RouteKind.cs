namespace Courier.Dispatching.Routing;

/// <summary>The role of a consumed topic.</summary>
internal enum RouteKind
{
    /// <summary>A job topic whose jobs run straight away.</summary>
    Job,

    /// <summary>A retry tier: records wait for their due time.</summary>
    Retry,

    /// <summary>The job topic of a partitioned rule: records are only forwarded to the partitioned topic.</summary>
    Partitioner,

    /// <summary>The partitioned topic: jobs run with a budget per partition.</summary>
    Partitioned,
}
