using System.Globalization;
using System.Text.Json;

namespace Courier.Testing.Alerting;

/// <summary>One series of an instant query's result: its labels and value.</summary>
public sealed record PrometheusSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public static PrometheusSample Parse(JsonElement sample) => new(
        AlertLabels.Parse(sample.GetProperty("metric")),
        double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));

    public override string ToString() => $"{AlertLabels.Format(Labels)} {Value.ToString(CultureInfo.InvariantCulture)}";
}
