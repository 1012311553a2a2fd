using System.Security.Cryptography.X509Certificates;
using Courier.Server.Configuration;
using Courier.Server.Data;
using Courier.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Server.Security;

/// <summary>
/// The dispatcher service's security, read once at <see cref="CourierServer.Create"/>: the accepted tokens (the
/// options', <c>auth.tokens</c>, <c>COURIER_ADMIN_TOKENS</c>), where each surface listens, the TLS certificate, and
/// the refusal to serve the admin or intake surface to the network without a token.
/// </summary>
internal sealed class ServerSecurity
{
    private readonly List<(HttpSurface Surface, ListenAddress Address)> _unauthenticatedNetwork = [];

    private ServerSecurity(AccessTokens tokens, SurfaceListeners listeners, X509Certificate2? certificate)
    {
        Tokens = tokens;
        Listeners = listeners;
        Certificate = certificate;
    }

    public AccessTokens Tokens { get; }

    public SurfaceListeners Listeners { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>Reads the settings; a <see cref="CourierConfigException"/> names the setting that cannot be used.</summary>
    public static ServerSecurity From(CourierServerOptions options, CourierConfig? config, Func<string, string?> environment)
    {
        List<AccessToken> tokens = [.. options.Tokens, .. (config?.Auth?.Tokens ?? []).Select(t => t.ToToken())];
        try
        {
            tokens.AddRange(AdminTokensVariable.Parse(environment(AdminTokensVariable.Name)));
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException(e.Message, e);
        }
        AccessTokens accessTokens;
        try
        {
            accessTokens = new AccessTokens(tokens);
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException($"auth.tokens and {AdminTokensVariable.Name}: {e.Message}", e);
        }

        var fallback = Address("metrics.listen", config?.Metrics?.Listen) is { } metrics
            ? metrics with { Port = options.MetricsPort }
            : ListenAddress.Loopback(options.MetricsPort);
        var listen = config?.Http?.Listen;
        var addresses = new Dictionary<HttpSurface, ListenAddress>();
        foreach (var (surface, key, given) in new[]
        {
            (HttpSurface.Admin, "admin", options.AdminListen ?? listen?.Admin),
            (HttpSurface.Intake, "intake", options.IntakeListen ?? listen?.Intake),
            (HttpSurface.Metrics, "metrics", options.MetricsListen ?? listen?.Metrics),
        })
        {
            if (Address("http.listen." + key, given) is { } address)
            {
                addresses[surface] = address;
            }
        }
        var listeners = new SurfaceListeners(fallback, addresses);
        var security = new ServerSecurity(accessTokens, listeners, LoadCertificate(listeners, options, config, environment));
        var allow = config?.Auth?.AllowUnauthenticatedNetwork ?? options.AllowUnauthenticatedNetwork;
        foreach (var (surface, address) in listeners.Addresses)
        {
            if (surface == HttpSurface.Metrics || address.IsLoopback || accessTokens.Enabled)
            {
                continue;
            }
            var key = $"http.listen.{surface.ToString().ToLowerInvariant()}" + (addresses.ContainsKey(surface) ? "" : " (from metrics.listen)");
            if (!allow)
            {
                throw new CourierConfigException($"{key}: {address} is reachable from the network and no token is configured "
                    + $"(auth.tokens or {AdminTokensVariable.Name}): add a token, listen on 127.0.0.1, or set auth.allow_unauthenticated_network: true");
            }
            security._unauthenticatedNetwork.Add((surface, address));
        }
        return security;
    }

    /// <summary>Registers the token set, the console's sessions (DataProtection keys in <c>&lt;data&gt;/keys</c>) and antiforgery.</summary>
    public void AddServices(IServiceCollection services, CourierDataDirectory data)
    {
        services.AddSingleton(Tokens);
        services.AddSingleton(Listeners);
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<AccessCheck>();
        services.AddDataProtection().SetApplicationName("courier").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data.Root, "keys")));
        services.AddAntiforgery(Csrf.Configure);
    }

    /// <summary>Routing, then the access check, then antiforgery's marker; and the console's sign-in endpoints.</summary>
    public void Use(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SecurityLog.Category);
        foreach (var (surface, address) in _unauthenticatedNetwork)
        {
            SecurityLog.Unauthenticated(logger, surface.ToString().ToLowerInvariant(), address.ToString());
        }
        if (Tokens.Enabled)
        {
            SecurityLog.TokensLoaded(logger, Tokens.Count);
        }
        app.UseRouting();
        app.Use(app.Services.GetRequiredService<AccessCheck>().InvokeAsync);
        app.UseAntiforgery();
        app.MapConsoleLogin();
    }

    private static ListenAddress? Address(string key, string? value)
    {
        try
        {
            return value is null ? null : ListenAddress.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException($"{key}: {e.Message}", e);
        }
    }

    private static X509Certificate2? LoadCertificate(SurfaceListeners listeners, CourierServerOptions options, CourierConfig? config,
        Func<string, string?> environment)
    {
        if (!listeners.AnyHttps)
        {
            return null;
        }
        var file = options.TlsCertificateFile ?? config?.Http?.Tls?.Certificate
            ?? throw new CourierConfigException("an https:// address in http.listen or metrics.listen needs a certificate in http.tls");
        try
        {
            return ServerCertificateFile.Load(file, options.TlsCertificateFile is null ? config?.Http?.Tls?.Key : options.TlsKeyFile, environment);
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException($"http.tls: {e.Message}", e);
        }
    }
}
