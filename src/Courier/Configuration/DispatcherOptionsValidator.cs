using Courier.Configuration;
using Microsoft.Extensions.Options;

namespace Courier;

/// <summary>
/// Validates <see cref="DispatcherOptions"/> when they are built: every rule, pattern rule and runner pool, and the
/// rules' pools and timeouts against each other. <see cref="CourierServiceCollectionExtensions.AddCourier"/>
/// registers it and validates on start, so a host with invalid rules does not start; every failure names the rule,
/// pattern or pool it is about.
/// </summary>
public sealed class DispatcherOptionsValidator : IValidateOptions<DispatcherOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, DispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsProblems.Result(options.Problems());
    }
}
