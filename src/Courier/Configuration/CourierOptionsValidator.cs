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
        var problems = new List<string>();
        if (options.MaxEventBytes <= 0)
        {
            problems.Add($"MaxEventBytes must be positive, got {options.MaxEventBytes}");
        }
        if (string.IsNullOrWhiteSpace(options.Release))
        {
            problems.Add("Release must name the running release (it labels outcome metrics and failure logs)");
        }
        return OptionsProblems.Result(problems);
    }
}
