using System.Text.RegularExpressions;
using Xunit;

namespace Courier.Server.Tests.Cli;

/// <summary>
/// deploy/container/Dockerfile cannot be built here (no container engine), so that it cannot rot silently: the project
/// it publishes exists, the assembly its ENTRYPOINT starts is what that project builds (the tests run it too), and its
/// images are the .NET version the projects target.
/// </summary>
public sealed partial class ContainerBuildTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "container", "Dockerfile"));

    [Fact]
    public void Dockerfile_PublishesAProjectThatExists_AndStartsTheAssemblyItBuilds()
    {
        var project = Assert.Single(PublishCommand().Matches(Dockerfile)).Groups["project"].Value;
        var entryPoint = Assert.Single(EntryPoint().Matches(Dockerfile)).Groups["assembly"].Value;

        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, project)), $"the Dockerfile publishes {project}, which does not exist");
        // The project's assembly is its file name unless it says otherwise; it sits next to the tests, which run it.
        Assert.DoesNotContain("<AssemblyName>", File.ReadAllText(Path.Combine(RepositoryRoot.Path, project)), StringComparison.Ordinal);
        Assert.Equal(Path.GetFileNameWithoutExtension(project) + ".dll", entryPoint);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, entryPoint)), $"{entryPoint} is not built");
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, ".dockerignore")), "the build context (the repository root) has no .dockerignore");
    }

    [Fact]
    public void Dockerfile_BuildsAndRunsOnTheTargetedDotNet_AsANonRootUser()
    {
        var targetFramework = TargetFramework().Match(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"))).Groups["version"].Value;
        Assert.NotEmpty(targetFramework);

        Assert.Contains($"FROM mcr.microsoft.com/dotnet/sdk:{targetFramework} AS build", Dockerfile, StringComparison.Ordinal);
        Assert.Contains($"FROM mcr.microsoft.com/dotnet/aspnet:{targetFramework}\n", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("VOLUME /data", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENV COURIER_LOG_FORMAT=json", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"serve\",", Dockerfile, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<project>\S+\.csproj)", RegexOptions.Multiline)]
    private static partial Regex PublishCommand();

    [GeneratedRegex(@"^ENTRYPOINT \[""dotnet"", ""(?<assembly>[^""]+)""\]", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    [GeneratedRegex("<TargetFramework>net(?<version>[0-9.]+)</TargetFramework>")]
    private static partial Regex TargetFramework();
}
