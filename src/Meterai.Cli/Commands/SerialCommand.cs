using System.CommandLine;
using Meterai.Core.Serials;

namespace Meterai.Cli.Commands;

/// <summary>`meterai serial check SERIAL`: tells whether a serial number is well formed (length, alphabet, check character).</summary>
internal static class SerialCommand
{
    public static Command Create()
    {
        var serial = new Command("serial", "serial numbers");
        var check = new Command("check", "check a serial number's form and check character (no database lookup)");
        var value = new Argument<string>("serial") { Description = "the 22-character serial number" };
        check.Arguments.Add(value);
        check.SetAction(parse =>
        {
            var r = SerialNumber.Parse(parse.GetValue(value));
            if (r.IsOk)
            {
                Console.WriteLine($"{r.Value}: well formed");
                return 0;
            }

            Console.Error.WriteLine($"error: {r.Error.Code}: {r.Error.Message}");
            return 2;
        });
        serial.Subcommands.Add(check);
        return serial;
    }
}
