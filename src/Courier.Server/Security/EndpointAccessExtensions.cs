using Microsoft.AspNetCore.Builder;

namespace Courier.Server.Security;

/// <summary>Declares an endpoint's <see cref="EndpointAccess"/> where it is mapped.</summary>
internal static class EndpointAccessExtensions
{
    /// <summary>Served on <paramref name="surface"/>; callers need <paramref name="scope"/> (null: no token).</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, HttpSurface surface, AccessScope? scope)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new EndpointAccess(surface, scope));
    }

    /// <summary>An admin endpoint that reads: scope <see cref="AccessScope.Read"/>.</summary>
    public static TBuilder RequireRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAccess(HttpSurface.Admin, AccessScope.Read);

    /// <summary>An admin endpoint that changes something: scope <see cref="AccessScope.Operate"/>.</summary>
    public static TBuilder RequireOperate<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAccess(HttpSurface.Admin, AccessScope.Operate);
}
