using System.CommandLine;
using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Storage;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai operator add --email … --role issuer_admin|auditor [--role …] [--db … --connection … --data-dir …]`:
/// creates an operator in the configured database and prints a generated password once. This is the only way to
/// create operators (the HTTP service has no endpoint for it), so the first issuer admin exists before the service
/// is exposed. Exit 0 created, 1 refused (exists, bad e-mail or role), 2 bad input or no database. `unlock`,
/// `disable` and `enable` are in <see cref="OperatorAccessCommands"/>.
/// </summary>
internal static class OperatorCommand
{
    public static Command Create()
    {
        var command = new Command("operator", "manage operators (issuer staff) of the service");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(OperatorAccessCommands.Unlock());
        command.Subcommands.Add(OperatorAccessCommands.SetDisabled(true));
        command.Subcommands.Add(OperatorAccessCommands.SetDisabled(false));
        return command;
    }

    private static Command Add()
    {
        var db = new DatabaseArguments();
        var email = new Option<string>("--email") { Description = "the operator's e-mail address (the login)", Required = true };
        var roles = new Option<string[]>("--role") { Description = "issuer_admin or auditor (repeat for both)", Required = true, AllowMultipleArgumentsPerToken = true };
        var iterations = new Option<int>("--password-iterations")
        {
            Description = "PBKDF2 iterations of the password hash (the server's Identity:PasswordIterations)",
            DefaultValueFactory = _ => PasswordHasher.DefaultIterations,
        };
        var command = new Command("add", "create an operator and print a generated password (shown once)");
        db.AddTo(command);
        command.Options.Add(email);
        command.Options.Add(roles);
        command.Options.Add(iterations);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = await db.ReadAsync(parse);
            if (options is null) return 2;
            MeteraiDatabase database;
            try
            {
                database = await MeteraiDatabase.OpenAsync(options, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await error.WriteLineAsync($"error: cannot open the {options.Provider.Name()} database: {e.Message}");
                return 2;
            }

            await using (database)
            {
                var password = GeneratePassword();
                var access = new OperatorAccess(database.Operators, database.LoginThrottle, new PasswordHasher(parse.GetValue(iterations)), new IdentitySettings(), SystemClock.Instance);
                var created = await access.CreateAsync(parse.GetValue(email), parse.GetValue(roles) ?? [], password, ct);
                if (!created.IsOk)
                {
                    await error.WriteLineAsync($"error: {created.Error.Code}: {created.Error.Message}");
                    return 1;
                }

                await output.WriteLineAsync($"operator {created.Value.Email} ({string.Join(", ", created.Value.Roles)}) id {PublicId.Format(created.Value.Id)}");
                await output.WriteLineAsync($"password: {password}");
                await output.WriteLineAsync("(shown once: store it in a password manager)");
                return 0;
            }
        });
        return command;
    }

    /// <summary>24 characters from a 56-character alphabet without look-alikes: about 139 bits.</summary>
    private static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(24, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
