using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courier.Server.OpenApi;

/// <summary>Gives the document its title and the <c>bearer</c> security scheme every scoped operation refers to.</summary>
internal sealed class BearerSchemeTransformer : IOpenApiDocumentTransformer
{
    /// <summary>The scheme's name in <c>components.securitySchemes</c>.</summary>
    public const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Courier admin API",
            Version = "v1",
            Description = "The dispatcher service's admin API (docs/operations.md, \"Admin API\"). JSON with snake_case properties; "
                + "errors are {\"error\": \"...\"} with 400, 404 or 409. Send a token as `Authorization: Bearer <token>`; "
                + "each operation names the scope it needs (read, operate or intake).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A token from the configuration's auth.tokens (or COURIER_ADMIN_TOKENS), with the scopes read, operate or intake.",
        };
        return Task.CompletedTask;
    }
}
