using System.CommandLine;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// What an operator does about someone else's access, straight in the configured database:
/// <list type="bullet">
/// <item>`meterai operator unlock --email E | --applicant CONTACT`: forgets every client's failed logins against an
/// operator or an applicant, so none of them waits any longer (the service has no lock, only per-client delays; this
/// is for the owner who cannot wait).</item>
/// <item>`meterai operator disable --email E` / `enable --email E`: a disabled operator cannot log in and its live
/// tokens are refused on the next request, on every node.</item>
/// </list>
/// Exit 0 done, 1 refused (no such operator or applicant, or an address that is not one), 2 bad arguments or no database.
/// </summary>
internal static class OperatorAccessCommands
{
    public static Command Unlock()
    {
        var db = new DatabaseArguments();
        var email = new Option<string?>("--email") { Description = "the operator's e-mail address" };
        var applicant = new Option<string?>("--applicant") { Description = "an applicant's e-mail address or mobile number" };
        var command = new Command("unlock", "forget the failed logins against an operator (--email) or an applicant (--applicant), from every client");
        db.AddTo(command);
        command.Options.Add(email);
        command.Options.Add(applicant);
        command.SetAction(async (parse, ct) =>
        {
            var (operatorEmail, contact) = (parse.GetValue(email), parse.GetValue(applicant));
            if (string.IsNullOrWhiteSpace(operatorEmail) == string.IsNullOrWhiteSpace(contact))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("error: name exactly one account: --email <operator e-mail> or --applicant <e-mail or mobile number>");
                return 2;
            }

            await using var database = await db.OpenAsync(parse, ct);
            if (database is null) return 2;
            var cleared = operatorEmail is not null
                ? await Operators(database).UnlockAsync(operatorEmail, ct)
                : await Applicants(database).UnlockAsync(contact, ct);
            if (!cleared.IsOk) return await RefusedAsync(parse, cleared.Error);
            var who = operatorEmail is not null ? $"operator {operatorEmail.Trim().ToLowerInvariant()}" : $"applicant {contact!.Trim()}";
            await parse.InvocationConfiguration.Output.WriteLineAsync(cleared.Value == 0
                ? $"{who}: no failed logins were recorded; nothing to unlock"
                : $"{who}: unlocked (forgot the failed logins of {cleared.Value} client{(cleared.Value == 1 ? "" : "s")})");
            return 0;
        });
        return command;
    }

    public static Command SetDisabled(bool disabled)
    {
        var db = new DatabaseArguments();
        var email = new Option<string>("--email") { Description = "the operator's e-mail address", Required = true };
        var command = new Command(disabled ? "disable" : "enable", disabled
            ? "disable an operator: its logins are refused and its live tokens stop on the next request"
            : "enable a disabled operator again (it may log in; its tokens that have not expired work again)");
        db.AddTo(command);
        command.Options.Add(email);
        command.SetAction(async (parse, ct) =>
        {
            await using var database = await db.OpenAsync(parse, ct);
            if (database is null) return 2;
            var changed = await Operators(database).SetDisabledAsync(parse.GetValue(email), disabled, ct);
            if (!changed.IsOk) return await RefusedAsync(parse, changed.Error);
            var op = changed.Value;
            await parse.InvocationConfiguration.Output.WriteLineAsync(op.IsDisabled
                ? $"operator {op.Email} disabled since {op.DisabledAt:O}"
                : $"operator {op.Email} enabled");
            return 0;
        });
        return command;
    }

    // These commands hash no password: the cheapest hasher keeps its decoy from costing a quarter-second.
    private static OperatorAccess Operators(MeteraiDatabase database) =>
        new(database.Operators, database.LoginThrottle, new PasswordHasher(1_000), new IdentitySettings(), SystemClock.Instance);

    private static ApplicantAccess Applicants(MeteraiDatabase database) =>
        new(database.Applicants, database.CodeChallenges, database.LoginThrottle, database.WindowCounters, database.Ledger, NoSender.Instance, new PasswordHasher(1_000),
            new IdentitySettings(), SystemClock.Instance);

    private static async Task<int> RefusedAsync(ParseResult parse, Error error)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {error.Code}: {error.Message}");
        return 1;
    }

    /// <summary>The unlock sends nothing; an applicant's access needs a sender only to log in.</summary>
    private sealed class NoSender : IOneTimeCodeSender
    {
        public static readonly NoSender Instance = new();

        public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the CLI sends no one-time codes");

        public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the CLI sends no notices");
    }
}
