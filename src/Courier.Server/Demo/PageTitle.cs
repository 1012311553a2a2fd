using System.Text.Json.Serialization;

namespace Courier.Server.Demo;

/// <summary>
/// A page title as new job events carry it in params: an integer namespace and a DB key. The original system lost
/// MassMessage deliveries when a job's title degraded to <c>Special:</c> (namespace −1, empty key); the demo
/// treats such a title as a job that cannot be built, as the original runner did.
/// </summary>
/// <param name="Namespace">The namespace number (0 main, 1 Talk, 2 User, 3 User talk, 4 Project, …).</param>
/// <param name="Dbkey">The title text with underscores, without the namespace prefix.</param>
internal sealed record PageTitle(int Namespace, string Dbkey)
{
    /// <summary>True when the title names a real page (not a special page, not empty).</summary>
    [JsonIgnore]
    public bool IsValid => Namespace >= 0 && !string.IsNullOrWhiteSpace(Dbkey);

    /// <summary>The prefixed DB key, e.g. <c>User_talk:Example</c>.</summary>
    [JsonIgnore]
    public string PrefixedDbkey => NamespacePrefix(Namespace) + Dbkey;

    private static string NamespacePrefix(int ns) => ns switch
    {
        -1 => "Special:",
        0 => "",
        1 => "Talk:",
        2 => "User:",
        3 => "User_talk:",
        4 => "Project:",
        5 => "Project_talk:",
        _ => FormattableString.Invariant($"NS{ns}:"),
    };
}
