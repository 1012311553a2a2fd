namespace Courier.Testing;

/// <summary>What a <see cref="JournalEntry"/> records.</summary>
internal enum JournalKind
{
    Assigned,
    Revoked,
    Delivered,
}
