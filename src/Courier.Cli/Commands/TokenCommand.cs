using System.CommandLine;
using System.Security.Cryptography;
using Courier.Cli.Settings;
using Courier.Server.Security;

namespace Courier.Cli.Commands;

/// <summary>
/// <c>courier token new</c> (a fresh random token and the <c>auth.tokens</c> entry for it) and <c>courier token hash</c>
/// (the SHA-256 of a token read from stdin, so that it stays out of shell history and process lists).
/// </summary>
internal sealed class TokenCommand : Command
{
    public TokenCommand(CliContext context)
        : base("token", "Bearer tokens of the admin and intake surfaces: make one (new), or print a token's sha256 for auth.tokens (hash).")
    {
        var name = new Option<string>("--name") { Description = "Who or what will hold the token (logs show this name, never the token).", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "read, operate (includes read), intake, joined with '+'.", DefaultValueFactory = _ => "read+operate" };
        var create = new Command("new", "Print a new random token, its auth.tokens entry (by sha256) and its COURIER_ADMIN_TOKENS form.");
        create.Options.Add(name);
        create.Options.Add(scopes);
        create.SetAction(parseResult => New(context, parseResult.GetValue(name)!, parseResult.GetValue(scopes)!));
        var hash = new Command("hash", "Read a token from stdin (first line) and print the hex SHA-256 that auth.tokens[].sha256 holds.");
        hash.SetAction((_, _) => HashAsync(context));
        Subcommands.Add(create);
        Subcommands.Add(hash);
    }

    private static int New(CliContext context, string name, string scopes)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or '='))
        {
            throw new UsageException($"--name '{name}' must be non-empty without whitespace, ',' or '='");
        }
        var parsed = scopes.Split('+').Select(s => AccessToken.ParseScope(s) ?? throw new UsageException($"--scopes: '{s}' is not read, operate or intake")).Distinct().ToList();
        // 32 random bytes, base64url: no ':' or ',', so the token also fits COURIER_ADMIN_TOKENS.
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var names = parsed.Select(AccessToken.ScopeName).ToList();
        var o = context.Console.Out;
        o.WriteLine($"token:   {token}");
        o.WriteLine("         (give it to its holder; nothing keeps it: the server stores only its sha256)");
        o.WriteLine($"config:  auth: {{ tokens: [ {{ name: {name}, sha256: {AccessToken.HashHex(token)}, scopes: [{string.Join(", ", names)}] }} ] }}");
        o.WriteLine($"env:     {AdminTokensVariable.Name}={name}={token}:{string.Join('+', names)}");
        return ExitCodes.Ok;
    }

    private static async Task<int> HashAsync(CliContext context)
    {
        using var reader = new StreamReader(context.Console.OpenInput());
        var token = (await reader.ReadLineAsync(context.Shutdown))?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new UsageException("no token on stdin: e.g. `courier token hash < token.txt` or `printf %s \"$TOKEN\" | courier token hash`");
        }
        await context.Console.Out.WriteLineAsync(AccessToken.HashHex(token));
        return ExitCodes.Ok;
    }
}
