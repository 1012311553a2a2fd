using Courier.Server.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Courier.Server.OpenApi;

/// <summary>
/// An operation's access from its <see cref="EndpointAccess"/>: the bearer requirement with its scope (and
/// <c>x-courier-scope</c>) when it needs one, no requirement when it needs none.
/// </summary>
internal sealed class ScopeTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var access = context.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointAccess>().LastOrDefault();
        if (access?.Scope is not { } scope)
        {
            operation.Security = [];
            return Task.CompletedTask;
        }
        var name = scope.ToString().ToLowerInvariant();
        operation.Security =
        [
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerSchemeTransformer.SchemeName, context.Document)] = [name],
            },
        ];
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
        operation.Extensions["x-courier-scope"] = new JsonNodeExtension(name);
        operation.Description = $"{operation.Description}{(string.IsNullOrEmpty(operation.Description) ? "" : " ")}Scope: {name}.";
        return Task.CompletedTask;
    }
}
