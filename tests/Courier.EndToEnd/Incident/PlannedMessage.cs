namespace Courier.EndToEnd.Incident;

/// <summary>A message a sender means to post on a page, and the params version its producer writes it in.</summary>
internal sealed record PlannedMessage(int Index, int Namespace, string DbKey, string Recipient, string Message, int Version)
{
    public const string Database = "metawiki";

    /// <summary>
    /// Pages of several namespaces, including a main-namespace title with a colon that is not a namespace prefix,
    /// so recovering the namespace from the title text is actually tested.
    /// </summary>
    public static PlannedMessage Create(int index, int version)
    {
        var recipient = $"Recipient_{index}";
        var (ns, dbKey) = (index % 4) switch
        {
            0 => (3, recipient),
            1 => (1, $"Village_pump/{index}"),
            2 => (5, "Newsletter"),
            _ => (0, $"Star_Wars:_Episode_{index}"),
        };
        return new PlannedMessage(index, ns, dbKey, recipient, $"Issue {index} of the newsletter", version);
    }

    public string PrefixedTitle => WikiTitles.Prefixed(Namespace, DbKey);

    public MassMessageParamsV1 V1Params => new(Recipient, "Newsletter", Message, "MassMessage delivery");

    public MassMessageParamsV2 V2Params => new(PrefixedTitle, Recipient, "Newsletter", Message, "MassMessage delivery");
}
