namespace Courier.Cli.Rendering;

/// <summary>Shows progress while <paramref name="loop"/> runs; the loop calls the update action with each snapshot.</summary>
internal interface IProgressView
{
    Task RunAsync(Func<Action<ProgressSnapshot>, Task> loop);
}
