namespace Courier.Server.Contracts;

/// <summary>
/// A golden corpus of job events: <c>&lt;corpus&gt;/&lt;type&gt;/&lt;version&gt;/&lt;job id&gt;.json</c>, each file the
/// exact bytes of one event as producers wrote it (<c>unversioned</c> for events without <c>meta.params_version</c>).
/// Files are never rewritten: a recorded event stays what old producers wrote, which is the point.
/// </summary>
internal static class EventCorpus
{
    /// <summary>The version directory of events that name no params version.</summary>
    public const string Unversioned = "unversioned";

    /// <summary>
    /// Stores events that decode, at most <paramref name="perVersion"/> per type and version (counting files already
    /// there). Returns the files written. An event the codec refuses throws <see cref="JobEncodingException"/> naming
    /// its index: a corpus holds only events that once decoded.
    /// </summary>
    public static IReadOnlyList<string> Record(string directory, IEnumerable<ReadOnlyMemory<byte>> events, JobEventCodec codec, int perVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentOutOfRangeException.ThrowIfLessThan(perVersion, 1);
        var written = new List<string>();
        var index = 0;
        foreach (var bytes in events)
        {
            var decoded = codec.Decode(bytes.Span);
            if (decoded.Event is not { } jobEvent)
            {
                throw new JobEncodingException($"event {index}: {decoded.Error}");
            }
            index++;
            var folder = Path.Combine(directory, jobEvent.Type, jobEvent.Meta.ParamsVersion ?? Unversioned);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, FileName(jobEvent.Meta.Id) + ".json");
            if (File.Exists(file) || Directory.EnumerateFiles(folder, "*.json").Count() >= perVersion)
            {
                continue;
            }
            File.WriteAllBytes(file, bytes.ToArray());
            written.Add(file);
        }
        return written;
    }

    /// <summary>Every stored event, ordered by type, version and file name. An absent directory is an empty corpus.</summary>
    public static IReadOnlyList<CorpusEvent> Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var events = new List<CorpusEvent>();
        if (!Directory.Exists(directory))
        {
            return events;
        }
        foreach (var typeDir in Sorted(Directory.EnumerateDirectories(directory)))
        {
            foreach (var versionDir in Sorted(Directory.EnumerateDirectories(typeDir)))
            {
                foreach (var file in Sorted(Directory.EnumerateFiles(versionDir, "*.json")))
                {
                    events.Add(new CorpusEvent(file, Path.GetFileName(typeDir), Path.GetFileName(versionDir), File.ReadAllBytes(file)));
                }
            }
        }
        return events;
    }

    private static IEnumerable<string> Sorted(IEnumerable<string> paths) =>
        paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal);

    // Job ids are producers' strings: keep file names to characters every file system takes.
    private static string FileName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
