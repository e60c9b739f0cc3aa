using System.Diagnostics;

namespace Meterai.Cli.Attacks;

/// <summary>One attack's result in a run.</summary>
public sealed record AttackResult(IAttack Attack, AttackOutcome Outcome, TimeSpan Took);

/// <summary>Runs attacks one after another against one target; an attack that throws is a breach (the server misbehaved or the attack found a crash).</summary>
public static class AttackRun
{
    public static async Task<IReadOnlyList<AttackResult>> RunAsync(AttackTarget target, IEnumerable<IAttack> attacks, Action<AttackResult>? progress, CancellationToken ct)
    {
        var results = new List<AttackResult>();
        foreach (var attack in attacks)
        {
            var watch = Stopwatch.StartNew();
            AttackOutcome outcome;
            try
            {
                outcome = await attack.RunAsync(target, ct);
            }
            catch (AttackSkipped skipped)
            {
                outcome = AttackOutcome.Skipped(skipped.Message);
            }
            catch (AttackSetupFailed failed)
            {
                outcome = AttackOutcome.Skipped("set-up failed: " + failed.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                outcome = AttackOutcome.Breached($"the attack failed with {e.GetType().Name}: {e.Message}");
            }

            var result = new AttackResult(attack, outcome, watch.Elapsed);
            results.Add(result);
            progress?.Invoke(result);
        }

        return results;
    }
}
