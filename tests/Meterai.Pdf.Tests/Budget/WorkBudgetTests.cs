using Meterai.Pdf.Budget;

namespace Meterai.Pdf.Tests.Budget;

/// <summary>The work budget itself: what it counts, who is in charge when budgets nest, and that a spent budget stays spent.</summary>
public sealed class WorkBudgetTests
{
    [Fact]
    public void A_budget_counts_what_its_thread_allocates_and_stops_past_it()
    {
        using var scope = WorkBudget.Enter(TimeSpan.Zero, 1024 * 1024);
        WorkBudget.Tick();
        var hog = new List<byte[]>();
        var e = Assert.Throws<WorkBudgetExceededException>(() =>
        {
            for (var i = 0; i < 64; i++)
            {
                hog.Add(new byte[64 * 1024]);
                WorkBudget.Tick();
            }
        });

        Assert.Equal(PdfErrorCodes.WorkLimitExceeded, e.ToError().Code);
        Assert.InRange(hog.Count, 14, 17); // stopped at the first tick past 1 MiB
        Assert.True(scope.Budget!.BytesAllocated > 1024 * 1024);
    }

    [Fact]
    public void A_spent_budget_stays_spent_even_after_its_exception_was_caught()
    {
        using var scope = WorkBudget.Enter(TimeSpan.Zero, 1);
        GC.KeepAlive(new byte[1024]);
        try
        {
            WorkBudget.Tick();
        }
        catch (WorkBudgetExceededException)
        {
            // a reader's fallback that swallowed it would meet it again at the next tick
        }

        Assert.Throws<WorkBudgetExceededException>(WorkBudget.Tick);
        Assert.Throws<WorkBudgetExceededException>(WorkBudget.Check);
    }

    [Fact]
    public void A_budget_counts_the_processor_time_of_its_thread()
    {
        using var scope = WorkBudget.Enter(TimeSpan.FromMilliseconds(20), 0);
        Assert.Throws<WorkBudgetExceededException>(Spin);

        Assert.True(scope.Budget!.CpuUsed >= TimeSpan.FromMilliseconds(20));

        static void Spin()
        {
            while (true) WorkBudget.Check();
        }
    }

    [Fact]
    public void An_inner_budget_leaves_the_outer_one_in_charge()
    {
        using var outer = WorkBudget.Enter(TimeSpan.Zero, 1024 * 1024);
        using (var inner = WorkBudget.Enter(TimeSpan.Zero, long.MaxValue))
        {
            Assert.Null(inner.Budget);
            Assert.Same(outer.Budget, WorkBudget.Current);
            GC.KeepAlive(new byte[2 * 1024 * 1024]);
            Assert.Throws<WorkBudgetExceededException>(WorkBudget.Tick);
        }

        Assert.Same(outer.Budget, WorkBudget.Current);
    }

    [Fact]
    public void A_budget_belongs_to_its_thread_and_ends_with_its_scope()
    {
        var scope = WorkBudget.Enter(TimeSpan.Zero, 1);
        GC.KeepAlive(new byte[1024]);
        WorkBudget? elsewhere = scope.Budget;
        var thread = new Thread(() =>
        {
            WorkBudget.Tick(); // another thread has no budget: nothing to count
            elsewhere = WorkBudget.Current;
        });
        thread.Start();
        thread.Join();
        Assert.Null(elsewhere);

        scope.Dispose();
        Assert.Null(WorkBudget.Current);
        WorkBudget.Tick(); // no budget, no limit
    }
}
