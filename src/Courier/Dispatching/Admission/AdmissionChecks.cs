namespace Courier.Dispatching.Admission;

/// <summary>
/// The dispatcher's admission checks (<see cref="IJobAdmission"/>) asked in order about each job: whether it runs, and
/// afterwards how it ended. Their usual answers come from memory, so neither question costs a job a state machine
/// while every check answers at once. <paramref name="abort"/> is cancelled when shutdown gives up waiting.
/// </summary>
internal sealed class AdmissionChecks(IReadOnlyList<IJobAdmission> admissions, CancellationToken abort)
{
    /// <summary>
    /// The first verdict of the admission checks that is not <see cref="AdmissionVerdict.Run"/>; Run when all let the job
    /// run. No state machine while every check answers at once (the usual case: they answer from memory).
    /// </summary>
    public ValueTask<AdmissionVerdict> AdmitAsync(AdmissionRequest request)
    {
        for (var i = 0; i < admissions.Count; i++) // not foreach: an interface's enumerator is an allocation a job
        {
            var pending = admissions[i].AdmitAsync(request, abort);
            if (!pending.IsCompletedSuccessfully)
            {
                return AdmitAfterAsync(pending, i, request);
            }
            var verdict = pending.Result; // read once: a pooled source behind it is released by the read
            if (verdict != AdmissionVerdict.Run)
            {
                return new(verdict);
            }
        }
        return new(AdmissionVerdict.Run);
    }

    /// <summary><see cref="AdmitAsync"/> from check <paramref name="index"/> on, whose answer is <paramref name="pending"/>.</summary>
    private async ValueTask<AdmissionVerdict> AdmitAfterAsync(ValueTask<AdmissionVerdict> pending, int index, AdmissionRequest request)
    {
        for (var i = index; i < admissions.Count; i++)
        {
            var verdict = i == index ? await pending : await admissions[i].AdmitAsync(request, abort);
            if (verdict != AdmissionVerdict.Run)
            {
                return verdict;
            }
        }
        return AdmissionVerdict.Run;
    }

    /// <summary>
    /// Tells the admission checks that a job they let run ends without an outcome (stopped by shutdown, or its outcome
    /// could not be made durable), within a few seconds of its own (at shutdown the dispatcher's token is cancelled).
    /// </summary>
    public async ValueTask UnfinishedAsync(AdmissionRequest request)
    {
        using var bound = new CancellationTokenSource(UnfinishedBound);
        for (var i = 0; i < admissions.Count; i++)
        {
            await admissions[i].UnfinishedAsync(request, bound.Token);
        }
    }

    /// <summary>How long a stopped job's admission checks may take to hear of it, each job.</summary>
    private static readonly TimeSpan UnfinishedBound = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Tells the admission checks the durable <paramref name="outcome"/> of a job they admitted or skipped, before its
    /// offset completes; false (not durable) when <paramref name="outcome"/> is null. No state machine while every
    /// check takes it at once.
    /// </summary>
    public ValueTask<bool> ToldAsync(AdmissionRequest request, string? outcome)
    {
        if (outcome is null)
        {
            return UnfinishedThenFalseAsync(request);
        }
        for (var i = 0; i < admissions.Count; i++)
        {
            var told = admissions[i].OutcomeAsync(request, outcome, abort);
            if (!told.IsCompletedSuccessfully)
            {
                return ToldAfterAsync(told, i, request, outcome);
            }
            told.GetAwaiter().GetResult(); // completed: releases a pooled source behind it, if any
        }
        return new(true);
    }

    /// <summary><see cref="ToldAsync"/> from check <paramref name="index"/> on, whose call is <paramref name="told"/>.</summary>
    private async ValueTask<bool> ToldAfterAsync(ValueTask told, int index, AdmissionRequest request, string outcome)
    {
        await told;
        for (var i = index + 1; i < admissions.Count; i++)
        {
            await admissions[i].OutcomeAsync(request, outcome, abort);
        }
        return true;
    }

    /// <summary>A job whose outcome is not durable is read again later (its offset is not committed): it gives back its claim.</summary>
    private async ValueTask<bool> UnfinishedThenFalseAsync(AdmissionRequest request)
    {
        await UnfinishedAsync(request);
        return false;
    }
}
