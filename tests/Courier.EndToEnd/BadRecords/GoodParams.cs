namespace Courier.EndToEnd.BadRecords;

/// <summary>Params of the well-formed jobs that flow around the bad records.</summary>
public sealed record GoodParams(string Name);
