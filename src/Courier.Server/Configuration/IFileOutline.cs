namespace Courier.Server.Configuration;

/// <summary>What a configuration file's provider knows beyond its values: the order of its keys and their lines.</summary>
internal interface IFileOutline
{
    /// <summary>Configuration keys (<c>dispatcher:rules:a</c>) in the order the file has them.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>The 1-based line of a key, when the format reports lines.</summary>
    int? LineOf(string key);
}
