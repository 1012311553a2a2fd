using Courier.Dispatching.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Courier.Server.Control;

/// <summary>
/// Pauses and resumes a type the dispatcher knows, writing the control record every dispatcher of the log applies:
/// the one path of <c>POST /v1/types/{type}/pause|resume</c> and the console's buttons.
/// </summary>
internal static class TypePauses
{
    /// <summary>The types this dispatcher knows, by name.</summary>
    public static IReadOnlyList<string> Known(IServiceProvider services) =>
        services.GetRequiredService<Dispatcher>().GetStats().Select(s => s.Type).Order(StringComparer.Ordinal).ToList();

    /// <summary>Writes the record; null (nothing written) for a type the dispatcher does not know.</summary>
    public static async Task<ControlRecord?> SetAsync(IServiceProvider services, string type, bool pause, string? reason, string by,
        CancellationToken cancellationToken)
    {
        if (!Known(services).Contains(type, StringComparer.Ordinal))
        {
            return null;
        }
        var control = new PauseControl(services.GetRequiredService<IJobLog>(), services.GetRequiredService<IOptions<CourierOptions>>().Value.Topics,
            services.GetRequiredService<TimeProvider>());
        return pause
            ? await control.PauseAsync(type, string.IsNullOrWhiteSpace(reason) ? "paused by an operator" : reason, by, cancellationToken)
            : await control.ResumeAsync(type, by, cancellationToken);
    }
}
