using System.Net;
using System.Text.Json;
using Courier.Server.Tests.Control;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Xunit;

namespace Courier.Server.Tests.OpenApi;

/// <summary>
/// <c>GET /v1/openapi.json</c> describes every <c>/v1</c> endpoint the service maps — enumerated from its endpoint data
/// source, so an endpoint added without OpenAPI metadata (summary, answers) fails here — and the bearer scheme.
/// </summary>
public sealed class OpenApiDocumentTests() : ServedControlTests("dispatcher:\n  rules:\n    massMessage: {}\n")
{
    [Fact]
    public async Task TheDocument_Parses_ListsEveryV1Route_WithSummaryAndAnswers_AndDeclaresTheBearerScheme()
    {
        using var response = await Host.Http.GetAsync("/v1/openapi.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);

        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        var scheme = Assert.Contains("bearer", document.Components!.SecuritySchemes!);
        Assert.Equal((SecuritySchemeType.Http, "bearer"), (scheme.Type, scheme.Scheme));

        var routes = Host.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Path: Path(e.RoutePattern), Method: m)))
            .Where(r => r.Path != "/v1/openapi.json")
            .Distinct()
            .ToList();
        Assert.Contains(("/v1/types", "GET"), routes);
        Assert.Contains(("/v1/downtimes/cancel", "POST"), routes);
        Assert.Contains(("/v1/events", "POST"), routes);
        var missing = new List<string>();
        foreach (var (path, method) in routes)
        {
            if (document.Paths.GetValueOrDefault(path)?.Operations?.GetValueOrDefault(HttpMethod.Parse(method)) is not { } operation)
            {
                missing.Add($"{method} {path}: not in the document");
                continue;
            }
            if (string.IsNullOrWhiteSpace(operation.Summary))
            {
                missing.Add($"{method} {path}: no summary (.WithSummary)");
            }
            if (operation.Responses is null || !operation.Responses.Any(r => r.Key.StartsWith('2') && r.Value.Content?.Count > 0))
            {
                missing.Add($"{method} {path}: no 2xx answer with a body (.Produces<T>)");
            }
            if (operation.Security is not { Count: > 0 })
            {
                missing.Add($"{method} {path}: no security requirement (RequireRead/RequireOperate)");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));

        using var json = JsonDocument.Parse(text);
        var types = json.RootElement.GetProperty("paths").GetProperty("/v1/types").GetProperty("get");
        Assert.Equal("read", types.GetProperty("x-courier-scope").GetString());
        var cancel = json.RootElement.GetProperty("paths").GetProperty("/v1/downtimes/cancel").GetProperty("post");
        Assert.Equal("operate", cancel.GetProperty("x-courier-scope").GetString());
        Assert.True(cancel.GetProperty("responses").TryGetProperty("404", out _));
    }

    /// <summary>The pattern as OpenAPI writes a path: <c>/v1/types/{type}</c>.</summary>
    private static string Path(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));
}
