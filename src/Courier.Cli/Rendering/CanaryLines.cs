using Courier.Canaries;
using Courier.Cli.Commands;

namespace Courier.Cli.Rendering;

/// <summary>One line per runner pool's canary for the live view, the plain progress and the summary.</summary>
internal static class CanaryLines
{
    public static IEnumerable<string> Of(IEnumerable<CanaryStatus> canaries) =>
        CanaryCommand.Rows(canaries).Select(r => $"canary of {r[0]} (release {r[1]}): {r[2]} at {r[3]}, stable {r[4]}, canary {r[5]}; {r[6]}");
}
