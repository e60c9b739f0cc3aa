using Meterai.Core.Stamping;
using Meterai.Pdf.Budget;

namespace Meterai.Server.Stamping;

/// <summary>
/// The work budget of a stamp's engine work (the page's geometry, then the stamp's preparation: one budget for both),
/// counted on the thread doing it: <c>Stamping:MaxCpuSeconds</c> (2) and <c>Stamping:MaxAllocatedMegabytes</c> (256) for
/// a stamp made in its request, <c>Stamping:JobMaxCpuSeconds</c> (2) and <c>Stamping:JobMaxAllocatedMegabytes</c> (256)
/// for a background job (0: no bound). Why jobs too: a 19 MiB damaged file needing recovery allocated 464 MB in one job,
/// on a node that also serves requests; past its budget a job now fails with <c>work_limit_exceeded</c>, its quota
/// reservation voided.
/// </summary>
public sealed record StampBudgets(WorkBudgetBounds Request, WorkBudgetBounds Job)
{
    public static StampBudgets Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Stamping");
        return new StampBudgets(WorkBudgetBounds.Read(s, "Max"), WorkBudgetBounds.Read(s, "JobMax"));
    }

    /// <summary>Makes the budget of <paramref name="stamp"/> the thread's (the engine's own default then yields to it).</summary>
    public WorkBudget.Scope Enter(StampRecord stamp) => (stamp.IsJob ? Job : Request).Enter();
}

/// <summary>Processor time and managed allocation one piece of engine work may use (zero: no bound).</summary>
public sealed record WorkBudgetBounds(TimeSpan MaxCpuTime, long MaxAllocatedBytes)
{
    public WorkBudget.Scope Enter() => WorkBudget.Enter(MaxCpuTime, MaxAllocatedBytes);

    /// <summary>Reads <c>{prefix}CpuSeconds</c> (default 2) and <c>{prefix}AllocatedMegabytes</c> (default 256).</summary>
    public static WorkBudgetBounds Read(IConfiguration section, string prefix) => new(
        TimeSpan.FromSeconds(Math.Max(0, section.GetValue(prefix + "CpuSeconds", 2.0))),
        (long)(Math.Max(0, section.GetValue(prefix + "AllocatedMegabytes", 256.0)) * 1024 * 1024));
}
