using Courier.Configuration;
using Microsoft.Extensions.Options;

namespace Courier;

/// <summary>
/// Validates <see cref="CourierOptions"/> when they are built; <see cref="CourierServiceCollectionExtensions.AddCourier"/>
/// registers it and validates on start.
/// </summary>
public sealed class CourierOptionsValidator : IValidateOptions<CourierOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, CourierOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsProblems.Result(options.MaxEventBytes > 0 ? [] : [$"MaxEventBytes must be positive, got {options.MaxEventBytes}"]);
    }
}
