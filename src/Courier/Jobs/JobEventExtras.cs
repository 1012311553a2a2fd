namespace Courier.Jobs;

/// <summary>
/// The fields of a <see cref="JobEvent"/> that a plain job leaves out (a delay, a deduplication key, a root job, the
/// legacy title fields and MediaWiki's signature), kept apart so an event without any of them carries one empty
/// reference instead of 56 bytes of absent values: the dispatcher makes an event for every record it reads. Written
/// only while the event is initialized.
/// </summary>
internal sealed class JobEventExtras
{
    public int? PageNamespace;
    public string? PageTitle;
    public DateTimeOffset? DelayUntil;
    public string? Sha1;
    public RootEvent? RootEvent;
    public string? MediawikiSignature;
}
