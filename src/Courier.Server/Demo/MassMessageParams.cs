using System.Text.Json.Serialization;

namespace Courier.Server.Demo;

/// <summary>Params of a <c>massMessage</c> job: one delivery of a message to one talk page.</summary>
internal sealed class MassMessageParams
{
    /// <summary>The talk page the message is delivered to.</summary>
    public required PageTitle Title { get; init; }

    /// <summary>Who receives it (the page's owner).</summary>
    public required string Recipient { get; init; }

    /// <summary>Section heading.</summary>
    public required string Subject { get; init; }

    /// <summary>Message body (wikitext).</summary>
    public required string Message { get; init; }

    /// <summary>Who sent it.</summary>
    public required string Sender { get; init; }

    /// <summary>Failure injection and pacing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DemoSimulation? Simulate { get; init; }
}
