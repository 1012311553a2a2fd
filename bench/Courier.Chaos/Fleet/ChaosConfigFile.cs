using System.Globalization;
using System.Text;
using Courier.Server.Demo;

namespace Courier.Chaos.Fleet;

/// <summary>
/// The dispatchers' configuration file (YAML): the engine, the ledger on, the runner pool of fault proxies with the
/// shared signing key, short retry tiers, and rules with retries and timeouts — <c>massMessage</c> and
/// <c>htmlCacheUpdate</c> in process (the demo handlers of <c>serve --demo</c>), <c>refreshLinks</c> on the pool.
/// </summary>
internal static class ChaosConfigFile
{
    public static void Write(string path, string data, string? bootstrapServers, IReadOnlyList<Uri> runnerUrls, string secret, long jobs)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"data: \"{data}\"");
        // Room for every key the run writes for a day: an event key a job, a run-claim key a retry, the demo's sha1 and
        // root keys. Past the bound the store drops the oldest remembered outcomes, and a record read again after a kill
        // would then run again. (The third million-job run crossed the default of 1,000,000 near its end, when the store
        // still dropped live claims first: two dispatchers ran one job and enqueued one tick.)
        yaml.AppendLine(CultureInfo.InvariantCulture, $"state: {{ embedded: {{ max_entries: {Math.Max(1_000_000, jobs * 4)} }} }}");
        if (bootstrapServers is not null)
        {
            // lz4 batches: the mock brokers keep only about 5 MiB per partition, so smaller batches go further.
            // Idle fetches held 500 ms instead of Courier's 25: the mock walks every message set of a partition to
            // answer a fetch at its end, so with a million jobs stored, three dispatchers polling every 25 ms kept its
            // one thread busy and the final audits took 38 minutes. Start latency does not matter to the soak.
            yaml.AppendLine(CultureInfo.InvariantCulture,
                $"engine: {{ kind: kafka, bootstrap_servers: \"{bootstrapServers}\", producer: {{ compression.type: lz4, linger.ms: 5 }}, consumer: {{ fetch.wait.max.ms: 500 }} }}");
        }
        yaml.AppendLine("runners:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  {ChaosRules.Pool}:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    urls: [{string.Join(", ", runnerUrls.Select(u => $"\"{u}\""))}]");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    execution_limit: {ChaosRules.RunnerExecutionLimitSeconds}s");
        yaml.AppendLine("    retry_after_default: 1s");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    signing_key: {{ id: {ChaosRules.KeyId}, secret: \"{secret}\" }}");
        yaml.AppendLine("dispatcher:");
        yaml.AppendLine("  ledger: true");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  retry_tiers: [{string.Join(", ", ChaosRules.RetryTiers.Select(Seconds))}]");
        yaml.AppendLine("  shutdown_drain_timeout: 5s");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  defaults: {{ concurrency: {ChaosRules.Concurrency}, timeout: {Seconds(ChaosRules.InProcessTimeout)}, retry: {{ limit: 2, delay: 1s, factor: 3 }}, breaker: {{ min_samples: {ChaosRules.BreakerMinSamples}, open_for: 1s, max_open_for: 5s }} }}");
        yaml.AppendLine("  rules:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    {DemoJobTypes.MassMessage}: {{ concurrency: {ChaosRules.Concurrency} }}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    {DemoJobTypes.HtmlCacheUpdate}: {{ concurrency: {ChaosRules.Concurrency} }}");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"    {DemoJobTypes.RefreshLinks}: {{ runner: {ChaosRules.Pool}, timeout: {Seconds(ChaosRules.RunnerTimeout)} }}");
        File.WriteAllText(path, yaml.ToString());
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
