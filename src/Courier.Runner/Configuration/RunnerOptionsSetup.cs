using Microsoft.Extensions.Options;

namespace Courier.Runner.Configuration;

/// <summary>
/// Fills <see cref="CourierRunnerOptions.Keys"/> from <c>COURIER_RUNNER_KEYS</c> when configuration named none, and
/// validates the options. Secrets come from configuration or the environment, never from code (issue 4).
/// </summary>
internal sealed class RunnerOptionsSetup : IPostConfigureOptions<CourierRunnerOptions>, IValidateOptions<CourierRunnerOptions>
{
    public void PostConfigure(string? name, CourierRunnerOptions options)
    {
        if (options.Keys.Count > 0)
        {
            return;
        }
        try
        {
            foreach (var key in RunnerKeySource.FromEnvironment(Environment.GetEnvironmentVariable)?.Keys ?? [])
            {
                options.Keys.Add(key);
            }
        }
        catch (RunnerKeyException e)
        {
            options.KeysError = e.Message;
        }
    }

    public ValidateOptionsResult Validate(string? name, CourierRunnerOptions options)
    {
        var errors = new List<string>();
        if (options.KeysError is { } keysError)
        {
            errors.Add(keysError);
        }
        else if (options.RequireSignature && options.Keys.Count == 0)
        {
            errors.Add("the Courier runner has no signing keys: set CourierRunnerOptions.Keys or the "
                + $"{RunnerKey.EnvironmentVariable} environment variable ({RunnerKeySource.Form}), or set RequireSignature = false "
                + "to accept unsigned requests (development only)");
        }
        var duplicate = options.Keys.GroupBy(k => k.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors.Add($"runner key id '{duplicate.Key}' appears twice");
        }
        if (options.SignatureWindow <= TimeSpan.Zero)
        {
            errors.Add($"SignatureWindow must be positive, got {options.SignatureWindow}");
        }
        if (options.ReplayCacheCapacity < 1)
        {
            errors.Add($"ReplayCacheCapacity must be at least 1, got {options.ReplayCacheCapacity}");
        }
        if (options.ExecutionLimit <= TimeSpan.Zero || options.ExecutionLimit.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"ExecutionLimit must be positive and under 24 days, got {options.ExecutionLimit}");
        }
        if (options.MaxConcurrency < 1)
        {
            errors.Add($"MaxConcurrency must be at least 1, got {options.MaxConcurrency}");
        }
        if (options.MaxBodyBytes is <= 0)
        {
            errors.Add($"MaxBodyBytes must be positive, got {options.MaxBodyBytes}");
        }
        if (options.RetryAfter < TimeSpan.Zero)
        {
            errors.Add($"RetryAfter must not be negative, got {options.RetryAfter}");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
