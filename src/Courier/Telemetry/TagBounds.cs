using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Courier.Telemetry;

/// <summary>Applies the <see cref="LabelBound"/>s of the tags that come from input to one measurement's tags.</summary>
internal sealed class TagBounds(LabelBound jobTypes, LabelBound topics)
{
    /// <summary>The job type tag of every per-type instrument.</summary>
    public const string JobType = "job.type";

    /// <summary>The topic tag of the backlog and lag gauges.</summary>
    public const string Topic = "messaging.destination.name";

    public void Apply(ref TagList tags)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            var bound = tags[i].Key switch
            {
                JobType => jobTypes,
                Topic => topics,
                _ => null,
            };
            if (bound is not null)
            {
                tags[i] = new KeyValuePair<string, object?>(tags[i].Key, bound.Label(tags[i].Value as string));
            }
        }
    }

    /// <summary>
    /// Bounds a gauge's observations; observations whose tags become equal (several values became <c>unknown</c>)
    /// are combined into one with <paramref name="combine"/>, since a gauge has one value per series.
    /// </summary>
    public IEnumerable<Measurement<T>> Apply<T>(IEnumerable<Measurement<T>> measurements, Func<T, T, T> combine)
        where T : struct
    {
        var series = new Dictionary<string, (T Value, TagList Tags)>(StringComparer.Ordinal);
        foreach (var measurement in measurements)
        {
            var tags = new TagList(measurement.Tags);
            Apply(ref tags);
            var key = string.Join('\u001f', tags.Select(t => $"{t.Key}={t.Value}"));
            series[key] = series.TryGetValue(key, out var seen) ? (combine(seen.Value, measurement.Value), tags) : (measurement.Value, tags);
        }
        return series.Values.Select(s => new Measurement<T>(s.Value, s.Tags));
    }
}
