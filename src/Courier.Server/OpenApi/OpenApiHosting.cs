using Courier.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Server.OpenApi;

/// <summary>
/// The admin API's OpenAPI description, <c>GET /v1/openapi.json</c> (scope read): every <c>/v1</c> endpoint with its
/// summary, parameters and answers (each endpoint declares them where it is mapped: <c>.WithSummary</c>,
/// <c>.WithDescription</c>, <c>.Produces&lt;T&gt;</c>), the bearer security scheme, and each operation's scope
/// (<see cref="ScopeTransformer"/>).
/// </summary>
internal static class OpenApiHosting
{
    /// <summary>Where the description is served.</summary>
    public const string Route = "/v1/openapi.json";

    /// <summary>The document's name (the one <see cref="Route"/> serves).</summary>
    public const string DocumentName = "v1";

    /// <summary>Adds the document generator: <c>/v1</c> routes only, with the bearer scheme and scopes.</summary>
    public static IServiceCollection AddCourierOpenApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<BearerSchemeTransformer>();
            o.AddOperationTransformer<ScopeTransformer>();
        });
    }

    /// <summary>Maps <see cref="Route"/>.</summary>
    public static void MapOpenApiDocument(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(Route).WithDisplayName("Courier OpenAPI " + Route).RequireRead();
    }
}
