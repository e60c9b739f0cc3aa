namespace Meterai.Pdf.Budget;

/// <summary>
/// The most processor time and managed memory one engine operation (a verification, a stamp's preparation) may use,
/// counted on the thread doing it: its processor time (<see cref="ThreadCpuTime"/>) and the bytes it allocated
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>, an upper bound on what it holds). The engine's loops call
/// <see cref="Tick"/> as they go; past either bound the operation stops with <see cref="PdfErrorCodes.WorkLimitExceeded"/>.
/// Why a budget as well as <see cref="PdfLimits"/>' structural bounds: each structural bound can be within its limit
/// and their product still cost minutes (a hundred fields × twenty thousand objects), so the product is bounded where
/// it is spent.
/// </summary>
/// <remarks>
/// The budget belongs to the thread (that is what it measures), so it is ambient: <see cref="Enter"/> makes it the
/// thread's until the scope is disposed, and the engine is synchronous inside a scope. A scope entered while another
/// is open leaves the outer one in charge, so a caller (the server, for a job) can set a budget around the engine's
/// own default.
/// </remarks>
public sealed class WorkBudget
{
    /// <summary>Processor time is read once per this many ticks (a system call); allocation every tick (a field read).</summary>
    private const int TicksPerCpuCheck = 32;

    [ThreadStatic]
    private static WorkBudget? t_current;

    private readonly TimeSpan _cpuStart;
    private readonly long _bytesStart;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private int _ticks;
    private bool _closed;
    private WorkBudgetExceededException? _exceeded;

    private WorkBudget(TimeSpan maxCpuTime, long maxAllocatedBytes)
    {
        MaxCpuTime = maxCpuTime;
        MaxAllocatedBytes = maxAllocatedBytes;
        _cpuStart = ThreadCpuTime.Now();
        _bytesStart = GC.GetAllocatedBytesForCurrentThread();
    }

    public TimeSpan MaxCpuTime { get; }

    public long MaxAllocatedBytes { get; }

    /// <summary>Processor time used since the budget was entered.</summary>
    public TimeSpan CpuUsed => ThreadCpuTime.Now() - _cpuStart;

    /// <summary>Managed bytes allocated since the budget was entered.</summary>
    public long BytesAllocated => GC.GetAllocatedBytesForCurrentThread() - _bytesStart;

    /// <summary>The budget in charge on this thread, if any.</summary>
    public static WorkBudget? Current => t_current is { _closed: false } b ? b : null;

    /// <summary>
    /// Makes a budget of <paramref name="maxCpuTime"/> and <paramref name="maxAllocatedBytes"/> the thread's until the
    /// scope is disposed (a zero or negative bound is no bound). Never hold a scope across an <c>await</c>.
    /// </summary>
    public static Scope Enter(TimeSpan maxCpuTime, long maxAllocatedBytes)
    {
        if (Current is not null) return default;
        var budget = new WorkBudget(maxCpuTime, maxAllocatedBytes);
        t_current = budget;
        return new Scope(budget);
    }

    /// <summary>The engine's own budget from its limits (outer budgets win).</summary>
    internal static Scope Enter(PdfLimits limits) => Enter(limits.MaxCpuTime, limits.MaxAllocatedBytes);

    /// <summary>A unit of work done: cheap; throws <see cref="WorkBudgetExceededException"/> once the budget is spent.</summary>
    internal static void Tick()
    {
        if (t_current is not { } budget) return;
        budget.Charge(++budget._ticks % TicksPerCpuCheck == 0);
    }

    /// <summary>A large unit of work done (a chunk hashed, a revision opened): checks processor time at once.</summary>
    internal static void Check()
    {
        t_current?.Charge(readCpu: true);
    }

    private void Charge(bool readCpu)
    {
        if (_closed || Environment.CurrentManagedThreadId != _thread) return;
        if (_exceeded is not null) throw _exceeded;
        if (MaxAllocatedBytes > 0 && BytesAllocated > MaxAllocatedBytes)
        {
            _exceeded = new WorkBudgetExceededException(
                $"the file needs more than {MaxAllocatedBytes / (1024 * 1024)} MB of memory to process, the most one request may use");
        }
        else if (readCpu && MaxCpuTime > TimeSpan.Zero && CpuUsed > MaxCpuTime)
        {
            _exceeded = new WorkBudgetExceededException(
                $"the file needs more than {MaxCpuTime.TotalSeconds:0.###} s of processor time to process, the most one request may use");
        }

        if (_exceeded is not null) throw _exceeded;
    }

    /// <summary>Ends the budget it entered (nothing for a scope nested in another budget).</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly WorkBudget? _budget;

        internal Scope(WorkBudget budget) => _budget = budget;

        public WorkBudget? Budget => _budget;

        public void Dispose()
        {
            if (_budget is null) return;
            // Closed first: even disposed on another thread by mistake, a stale budget then counts nothing.
            _budget._closed = true;
            if (ReferenceEquals(t_current, _budget)) t_current = null;
        }
    }
}
