using Courier.Server.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>Every endpoint the dispatcher service maps declares its surface and scope (the access check refuses one that does not).</summary>
public sealed class EndpointAccessCoverageTests
{
    [Fact]
    public async Task EveryMappedEndpoint_DeclaresEndpointAccess()
    {
        await using var server = await SecuredServer.StartAsync();
        var endpoints = server.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints;

        var undeclared = endpoints.Where(e => e.Metadata.GetMetadata<EndpointAccess>() is null).Select(e => e.DisplayName).ToList();

        Assert.True(endpoints.Count >= 12, $"only {endpoints.Count} endpoints found: {string.Join(", ", endpoints.Select(e => e.DisplayName))}");
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task WritesNeedOperate_AndIntakeNeedsIntake()
    {
        await using var server = await SecuredServer.StartAsync();
        var endpoints = server.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var writes = endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true
            && e.RoutePattern.RawText!.StartsWith("/v1/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(writes);
        Assert.All(writes, e => Assert.Equal(
            e.RoutePattern.RawText == "/v1/events" ? new EndpointAccess(HttpSurface.Intake, AccessScope.Intake) : new EndpointAccess(HttpSurface.Admin, AccessScope.Operate),
            e.Metadata.GetMetadata<EndpointAccess>()));
    }
}
