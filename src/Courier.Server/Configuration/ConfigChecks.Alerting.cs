namespace Courier.Server.Configuration;

/// <summary>Checks of the <c>alerting</c> section: ratios between 0 and 1, receiver URLs over http or https.</summary>
internal sealed partial class ConfigChecks
{
    private void Alerting(AlertingConfig alerting, ConfigAt at)
    {
        if (alerting.FailureBudget is { } budget && !(budget is > 0 and < 1))
        {
            throw Error(at["failure_budget"], $"must be a share above 0 and below 1 (0.01 is 1 %), got {budget.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (alerting.FailingRatio is { } ratio && !(ratio is > 0 and <= 1))
        {
            throw Error(at["failing_ratio"], $"must be a share above 0 and at most 1 (0.144 is 14.4 %), got {ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (alerting.Alertmanager?.Url is { } url)
        {
            ReceiverUrl(url, at["alertmanager"]["url"]);
        }
        var webhooks = alerting.Webhooks ?? [];
        for (var i = 0; i < webhooks.Count; i++)
        {
            // A single URL (webhooks: http://…) has no index.
            ReceiverUrl(webhooks[i], configuration[at["webhooks"].Key] is null ? at["webhooks"][i] : at["webhooks"]);
        }
    }

    private void ReceiverUrl(Uri url, ConfigAt at)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw Error(at, $"'{url.OriginalString}' is not an http or https URL (e.g. http://127.0.0.1:9093/)");
        }
    }
}
