using System.CommandLine;
using Meterai.Cli.Commands;

// Each command lives in its own file under Commands/ and is registered here, one line each.
var root = new RootCommand("meterai: issue, stamp and verify e-Meterai (Indonesian electronic stamp duty)");
var bench = new Command("bench", "benchmarks: print figures to compare with the peers (never part of the test suite)");
bench.Subcommands.Add(BenchStampCommand.Create());
bench.Subcommands.Add(BenchFuzzCommand.Create());
bench.Subcommands.Add(BenchVerifyCommand.Create());
bench.Subcommands.Add(BenchPlacementCommand.Create());
root.Subcommands.Add(bench);
bench.Subcommands.Add(BenchLedgerCommand.Create());
bench.Subcommands.Add(BenchPaymentsCommand.Create());
root.Subcommands.Add(SerialCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(PaymentsCommand.Create());
root.Subcommands.Add(PaySimCommand.Create());
root.Subcommands.Add(OperatorCommand.Create());
root.Subcommands.Add(TokenKeyCommand.Create());
root.Subcommands.Add(KekCommand.Create());
root.Subcommands.Add(IssuerCommand.Create());
root.Subcommands.Add(LoadTestStampCommand.Create());
root.Subcommands.Add(StampCommand.Create());
root.Subcommands.Add(VerifyCommand.Create());
root.Subcommands.Add(AttackCommand.Create());
return await root.Parse(args).InvokeAsync();
