using Courier.Runners;

namespace Courier.Server;

/// <summary>The <c>runners</c> section: pools of HTTP runners by name.</summary>
internal sealed partial class ConfigReader
{
    private Dictionary<string, RunnerPoolConfig> Runners(ConfigSection node)
    {
        var pools = new Dictionary<string, RunnerPoolConfig>(StringComparer.Ordinal);
        foreach (var (name, value) in Map(node))
        {
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(node, $"'{name}' is not a runner pool name (a name has no whitespace or control characters)");
            }
            if (name == RuleConfig.InProcess)
            {
                throw Error(node, $"'{RuleConfig.InProcess}' is reserved: a rule's `runner: {RuleConfig.InProcess}` runs its jobs in this process");
            }
            pools[name] = RunnerPool(value);
        }
        return pools;
    }

    private RunnerPoolConfig RunnerPool(ConfigSection node)
    {
        List<Uri>? urls = null;
        RunnerMode? mode = null;
        string? urlPath = null, caFile = null;
        TimeSpan? executionLimit = null, retryAfter = null, connectTimeout = null;
        int? maxConnections = null;
        RunnerKey? key = null;
        foreach (var (field, value) in Map(node))
        {
            switch (field.ToLowerInvariant())
            {
                case "urls": urls = Urls(value); break;
                case "mode": mode = Choice(value, "mode", ("courier", RunnerMode.Courier), ("mediawiki", RunnerMode.MediaWiki)); break;
                case "path":
                    urlPath = String(value);
                    if (urlPath is not null && (urlPath.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || urlPath.Contains('?', StringComparison.Ordinal) || urlPath.Contains('#', StringComparison.Ordinal)))
                    {
                        throw Error(value, $"'{urlPath}' is not a URL path (e.g. /rpc/RunSingleJob)");
                    }
                    break;
                case "execution_limit": executionLimit = Duration(value, allowZero: false); break;
                case "max_connections": maxConnections = Int(value, min: 1); break;
                case "signing_key": key = value.IsNull ? null : SigningKey(value); break;
                case "retry_after_default": retryAfter = Duration(value, allowZero: false); break;
                case "connect_timeout": connectTimeout = Duration(value, allowZero: false); break;
                case "ca_file": caFile = CaFile(value); break;
                default: throw Unknown(node, field, value);
            }
        }
        if (urls is null || urls.Count == 0)
        {
            throw Error(node, "needs 'urls': a list of runner base URLs, e.g. [http://10.0.0.1:5080, http://10.0.0.2:5080]");
        }
        return new RunnerPoolConfig
        {
            Urls = urls,
            Mode = mode,
            Path = urlPath,
            ExecutionLimit = executionLimit,
            MaxConnections = maxConnections,
            SigningKey = key,
            RetryAfterDefault = retryAfter,
            ConnectTimeout = connectTimeout,
            CaFile = caFile,
        };
    }

    /// <summary>A PEM file of CA certificates, read now so that a missing or broken file is reported with its key.</summary>
    private string? CaFile(ConfigSection node)
    {
        var caFile = FilePath(node);
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
            throw Error(node, e.Message);
        }
        return caFile;
    }

    /// <summary>A list of absolute http(s) URLs; a single string is a list of one.</summary>
    private List<Uri>? Urls(ConfigSection node)
    {
        if (node.IsNull)
        {
            return null;
        }
        var items = List(node) ?? (node.HasChildren ? throw Error(node, $"must be a list of URLs, got {node.Describe()}") : [node]);
        var urls = new List<Uri>();
        foreach (var item in items)
        {
            var text = NonEmptyString(item);
            if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            {
                throw Error(item, $"'{text}' is not an http or https URL without user info (e.g. http://127.0.0.1:5080)");
            }
            if (urls.Contains(url))
            {
                throw Error(item, $"'{text}' appears twice");
            }
            urls.Add(url);
        }
        return urls;
    }

    /// <summary>
    /// <c>{id, secret}</c>. The secret is text, <c>base64:…</c>, or <c>env:NAME</c> to read it from an environment
    /// variable so that it need not be written in the file. Errors never quote the secret.
    /// </summary>
    private RunnerKey SigningKey(ConfigSection node)
    {
        string? id = null, secret = null;
        ConfigSection? secretNode = null, idNode = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "id": id = NonEmptyString(value); idNode = value; break;
                case "secret": secret = NonEmptyString(value); secretNode = value; break;
                default: throw Unknown(node, key, value);
            }
        }
        if (id is null || secret is null || secretNode is not { } secretAt || idNode is not { } idAt)
        {
            throw Error(node, "needs 'id' and 'secret' (the secret as text, base64:…, or env:NAME to read it from an environment variable)");
        }
        if (secret.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = secret["env:".Length..];
            var fromEnvironment = variable.Length == 0 ? null : Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(fromEnvironment))
            {
                throw Error(secretAt, $"environment variable '{variable}' is not set");
            }
            secret = fromEnvironment;
        }
        if (id.Any(c => c is ',' or '=' || char.IsWhiteSpace(c)))
        {
            throw Error(idAt, $"'{id}' must not contain ',', '=' or whitespace");
        }
        // Errors name the problem, never the secret.
        try
        {
            _ = RunnerSignature.ParseSecret(secret);
        }
        catch (FormatException)
        {
            throw Error(secretAt, "the text after base64: is not valid base64");
        }
        catch (ArgumentException)
        {
            throw Error(secretAt, "must be at least 16 bytes (e.g. base64: and 32 random bytes, as `openssl rand -base64 32` prints)");
        }
        return new RunnerKey(id, secret);
    }
}
