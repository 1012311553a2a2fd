using Courier.Runners;

namespace Courier.Server.Configuration;

/// <summary>Checks of the <c>runners</c> section: pool names, URLs, limits, signing keys (resolving <c>env:</c>), CA files.</summary>
internal sealed partial class ConfigChecks
{
    private void Runners(IReadOnlyDictionary<string, RunnerPoolConfig> runners, ConfigAt at)
    {
        foreach (var (name, pool) in runners)
        {
            NoWhitespace(name, at, "runner pool name");
            if (name == RuleConfig.InProcess)
            {
                throw Error(at, $"'{RuleConfig.InProcess}' is reserved: a rule's `runner: {RuleConfig.InProcess}` runs its jobs in this process");
            }
            RunnerPool(pool, at[name]);
        }
    }

    private void RunnerPool(RunnerPoolConfig pool, ConfigAt at)
    {
        if (pool.Urls is not { Count: > 0 } urls)
        {
            throw Error(at, "needs 'urls': a list of runner base URLs, e.g. [http://10.0.0.1:5080, http://10.0.0.2:5080]");
        }
        Urls(urls, at);
        if (pool.Path is { } path && (path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)))
        {
            throw Error(at["path"], $"'{path}' is not a URL path (e.g. /rpc/RunSingleJob)");
        }
        if (pool.SigningKey is { } key)
        {
            SigningKey(key, at["signing_key"]);
        }
        pool.CaFile = CaFile(pool.CaFile, at["ca_file"]);
        if (pool.Canary is { } canary)
        {
            Canary(canary, at["canary"]);
        }
    }

    /// <summary>Runner base URLs: http or https, no user info or fragment, none twice.</summary>
    private void Urls(ConfigList<Uri> urls, ConfigAt at)
    {
        for (var i = 0; i < urls.Count; i++)
        {
            // A single URL (urls: http://…) has no index.
            var urlAt = configuration[at["urls"].Key] is null ? at["urls"][i] : at["urls"];
            var url = urls[i];
            if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            {
                throw Error(urlAt, $"'{url.OriginalString}' is not an http or https URL without user info (e.g. http://127.0.0.1:5080)");
            }
            if (urls.Take(i).Contains(url))
            {
                throw Error(urlAt, $"'{url.OriginalString}' appears twice");
            }
        }
    }

    /// <summary>The canary block: its URLs, slice, steps and the gate's and judge's ranges.</summary>
    private void Canary(CanaryConfig canary, ConfigAt at)
    {
        if (canary.Urls is not { Count: > 0 } urls)
        {
            throw Error(at, "needs 'urls': the canary runners' base URLs, e.g. [http://10.0.0.9:5080]");
        }
        Urls(urls, at);
        if (canary.Slice is { } slice && slice is not (CanaryConfig.SliceJobId or CanaryConfig.SliceDatabase))
        {
            throw Error(at["slice"], $"must be {CanaryConfig.SliceJobId} or {CanaryConfig.SliceDatabase}, got '{slice}'");
        }
        if (canary.Databases is { Count: > 0 } && canary.Slice != CanaryConfig.SliceDatabase)
        {
            throw Error(at["databases"], $"needs slice: {CanaryConfig.SliceDatabase} (these wikis always go to the canary)");
        }
        if (canary.Steps is { Count: > 0 } steps && (steps[^1] != 100 || steps.Any(s => s is < 1 or > 100) || steps.Zip(steps.Skip(1)).Any(p => p.First >= p.Second)))
        {
            throw Error(at["steps"], $"must be percents increasing within 1..100 and ending at 100 (e.g. [10, 50, 100]), got [{string.Join(", ", steps)}]");
        }
        if (canary.Gate?.Floor is < 0 or > 1)
        {
            throw Error(at["gate"]["floor"], $"must be a failure rate within 0..1 (e.g. 0.05), got {canary.Gate.Floor}");
        }
        if (canary.Gate?.Factor is < 1)
        {
            throw Error(at["gate"]["factor"], $"must be 1 or more (e.g. 2), got {canary.Gate.Factor}");
        }
        if (canary.Judge?.Alpha is <= 0 or >= 1)
        {
            throw Error(at["judge"]["alpha"], $"must be within (0, 1) (e.g. 0.05), got {canary.Judge.Alpha}");
        }
    }

    /// <summary>A PEM file of CA certificates, read now so that a missing or broken file is reported with its key.</summary>
    private string? CaFile(string? caFile, ConfigAt at)
    {
        caFile = FilePath(caFile);
        if (caFile is null)
        {
            return null;
        }
        try
        {
            foreach (var certificate in PinnedCa.Load(caFile))
            {
                certificate.Dispose();
            }
        }
        catch (ArgumentException e)
        {
            throw Error(at, e.Message);
        }
        return caFile;
    }

    /// <summary>Resolves <c>env:NAME</c> and checks the key. Errors name the problem, never the secret.</summary>
    private void SigningKey(SigningKeyConfig key, ConfigAt at)
    {
        if (key.Id is not { } id || key.Secret is not { } secret)
        {
            throw Error(at, "needs 'id' and 'secret' (the secret as text, base64:…, or env:NAME to read it from an environment variable)");
        }
        if (secret.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = secret["env:".Length..];
            var fromEnvironment = variable.Length == 0 ? null : Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(fromEnvironment))
            {
                throw Error(at["secret"], $"environment variable '{variable}' is not set");
            }
            key.Secret = secret = fromEnvironment;
        }
        if (id.Any(c => c is ',' or '=' || char.IsWhiteSpace(c)))
        {
            throw Error(at["id"], $"'{id}' must not contain ',', '=' or whitespace");
        }
        try
        {
            _ = RunnerSignature.ParseSecret(secret);
        }
        catch (FormatException)
        {
            throw Error(at["secret"], "the text after base64: is not valid base64");
        }
        catch (ArgumentException)
        {
            throw Error(at["secret"], "must be at least 16 bytes (e.g. base64: and 32 random bytes, as `openssl rand -base64 32` prints)");
        }
    }
}
