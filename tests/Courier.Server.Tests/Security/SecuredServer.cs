using System.Net.Http.Headers;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Courier.Server.Security;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Server.Tests.Security;

/// <summary>A started dispatcher service with tokens and listen addresses of a test's choosing, on free loopback ports.</summary>
internal sealed class SecuredServer : IAsyncDisposable
{
    public const string ReadToken = "read-token-0123456789abcdef";
    public const string OperateToken = "operate-token-0123456789abcdef";
    public const string IntakeToken = "intake-token-0123456789abcdef";

    private readonly TempDirectory? _owned;

    private SecuredServer(CourierServer server, TempDirectory? owned)
    {
        Server = server;
        _owned = owned;
    }

    public CourierServer Server { get; }

    /// <summary>The three tokens above: reader (read), operator (operate), producer (intake).</summary>
    public static IReadOnlyList<AccessToken> StandardTokens { get; } =
    [
        AccessToken.FromSecret("reader", ReadToken, AccessScope.Read),
        AccessToken.FromSecret("operator", OperateToken, AccessScope.Operate),
        AccessToken.FromSecret("producer", IntakeToken, AccessScope.Intake),
    ];

    public static async Task<SecuredServer> StartAsync(IReadOnlyList<AccessToken>? tokens = null, CourierConfig? config = null,
        string? dataDirectory = null, string? adminListen = null, string? intakeListen = null, ILoggerProvider? logs = null)
    {
        var owned = dataDirectory is null ? new TempDirectory("secured") : null;
        var options = new CourierServerOptions
        {
            Data = new CourierDataDirectory(dataDirectory ?? owned!.Path),
            MetricsPort = 0,
            Config = config,
            Tokens = tokens ?? StandardTokens,
            Environment = _ => null,
            AdminListen = adminListen,
            IntakeListen = intakeListen,
            ConfigureLogging = logs is null ? _ => { } : b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information),
        };
        var server = CourierServer.Create(options);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return new SecuredServer(server, owned);
    }

    /// <summary>A client on the admin surface sending <paramref name="token"/> as a bearer token (none when null).</summary>
    public HttpClient Client(string? token, Uri? baseUrl = null)
    {
        var http = new HttpClient { BaseAddress = baseUrl ?? Server.AdminUrl };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        _owned?.Dispose();
    }
}
