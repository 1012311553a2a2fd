using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Courier.Tests.Configuration;

/// <summary>
/// AddCourier validates its options with one <see cref="IValidateOptions{TOptions}"/> per options class, on start:
/// every problem is listed at once, each naming the rule or pool it is about.
/// </summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void AddCourier_ValidatesDispatcherOptionsOnStart_ListingEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddCourier().ConfigureDispatcher(o =>
        {
            o.Rules.Add(new JobRule { Type = "a", Concurrency = 0 });
            o.Rules.Add(new JobRule { Type = "b", Runner = "absent" });
        });
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(typeof(DispatcherOptions), e.OptionsType);
        Assert.Equal(["rule 'a': concurrency must be at least 1, got 0", "rule 'b': runner pool 'absent' does not exist (none is defined)"], e.Failures);
    }

    [Fact]
    public void AddCourier_ValidatesCourierOptionsOnStart()
    {
        var services = new ServiceCollection();
        services.AddCourier(o => o.MaxEventBytes = 0);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("MaxEventBytes must be positive, got 0", Assert.Single(e.Failures));
    }

    [Fact]
    public void Validators_PassTheDefaults()
    {
        Assert.True(new DispatcherOptionsValidator().Validate(null, new DispatcherOptions()).Succeeded);
        Assert.True(new CourierOptionsValidator().Validate(null, new CourierOptions()).Succeeded);
    }

    [Fact]
    public void Validate_StillThrowsTheFirstProblem()
    {
        var options = new DispatcherOptions { Rules = { new JobRule { Type = "a", Concurrency = 0, Timeout = TimeSpan.Zero } } };

        Assert.Equal("rule 'a': concurrency must be at least 1, got 0", Assert.Throws<ArgumentException>(options.Validate).Message);
        Assert.Equal(2, Assert.IsType<ValidateOptionsResult>(new DispatcherOptionsValidator().Validate(null, options)).Failures!.Count());
    }
}
