using Courier.Sqlite.Groups;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>The rule that decides whether a member row's process has ended, on a scripted process table and a real one.</summary>
public sealed class MemberLivenessTests
{
    private const string Host = "box (boot 1, pid:[1])";
    private static readonly ProcessIdentity Self = new(Host, Pid: 100, Start: 5000);

    private readonly FakeTimeProvider _clock = new();
    private readonly Dictionary<long, (ProcessState, long)> _processes = [];
    private readonly List<long> _lookups = [];

    private MemberLiveness Liveness(ProcessIdentity? self = null) =>
        new(_clock, self ?? Self, pid =>
        {
            _lookups.Add(pid);
            return _processes.TryGetValue(pid, out var found) ? found : (ProcessState.Gone, 0);
        });

    [Fact]
    public void HasExited_ThisProcess_OnlyWhenTheStartDiffers()
    {
        var liveness = Liveness();
        Assert.False(liveness.HasExited(Host, 100, 5000));
        Assert.True(liveness.HasExited(Host, 100, 4000));
        Assert.Empty(_lookups);
    }

    [Fact]
    public void HasExited_AnotherLocalProcess_FollowsTheProcessTable()
    {
        _processes[200] = (ProcessState.Running, 7000);
        _processes[300] = (ProcessState.Unknown, 0);
        var liveness = Liveness();

        Assert.False(liveness.HasExited(Host, 200, 7000));
        Assert.True(liveness.HasExited(Host, 200, 6999));
        Assert.True(liveness.HasExited(Host, 201, 7000));
        Assert.False(liveness.HasExited(Host, 300, 1));
    }

    [Theory]
    [InlineData("other box (boot 1, pid:[1])")]
    [InlineData("box (boot 2, pid:[1])")]
    [InlineData("box (boot 1, pid:[2])")]
    [InlineData("")]
    public void HasExited_MemberOfAnotherHostBootOrPidNamespace_IsNeverJudgedByProcess(string host)
    {
        var liveness = Liveness();
        Assert.False(liveness.HasExited(host, 201, 7000));
        Assert.False(liveness.HasExited(host, 100, 4000));
        Assert.Empty(_lookups);
    }

    [Fact]
    public void HasExited_WhenThisProcessHasNoIdentity_JudgesNobody()
    {
        var liveness = Liveness(new ProcessIdentity(string.Empty, 100, 0));
        Assert.False(liveness.HasExited(string.Empty, 201, 0));
        Assert.False(liveness.HasExited(string.Empty, 100, 1));
        Assert.Empty(_lookups);
    }

    [Fact]
    public void HasExited_ReusesALookupForAMoment()
    {
        _processes[200] = (ProcessState.Running, 7000);
        var liveness = Liveness();
        Assert.False(liveness.HasExited(Host, 200, 7000));
        Assert.True(liveness.HasExited(Host, 200, 1));
        Assert.Single(_lookups);

        _processes.Remove(200);
        Assert.False(liveness.HasExited(Host, 200, 7000));
        _clock.Advance(MemberLiveness.CacheTime);
        Assert.True(liveness.HasExited(Host, 200, 7000));
        Assert.Equal(2, _lookups.Count);
    }

    [Fact]
    public void Current_IdentifiesThisProcess()
    {
        var self = LocalProcess.Current;
        Assert.Equal(Environment.ProcessId, self.Pid);
        Assert.StartsWith(Environment.MachineName, self.Host, StringComparison.Ordinal);
        Assert.Equal(ProcessState.Running, LocalProcess.Probe(self.Pid, out var start));
        Assert.Equal(self.Start, start);
    }

    [Fact]
    public async Task Probe_RealProcesses_RunningWithAStableStart_ThenGone()
    {
        using var child = StandInProcess.StartLongLived();
        try
        {
            Assert.Equal(ProcessState.Running, LocalProcess.Probe(child.Id, out var first));
            Assert.Equal(ProcessState.Running, LocalProcess.Probe(child.Id, out var second));
            Assert.Equal(first, second);
            Assert.NotEqual(LocalProcess.Current.Start, first);
            Assert.False(new MemberLiveness(TimeProvider.System).HasExited(LocalProcess.Current.Host, child.Id, first));
        }
        finally
        {
            await StandInProcess.KillAsync(child);
        }
        Assert.Equal(ProcessState.Gone, LocalProcess.Probe(child.Id, out _));
        Assert.Equal(ProcessState.Gone, LocalProcess.Probe(await StandInProcess.ExitedIdAsync(), out _));
        Assert.Equal(ProcessState.Unknown, LocalProcess.Probe(0, out _));
    }
}
