using Meterai.Server;

WebApplication app;
try
{
    app = ServerHost.Build(args);
}
catch (InvalidOperationException e)
{
    // A set-up the service refuses to run with (no public address, no key-encryption key, no code sender…): say
    // which and why in one line, and exit non-zero so that a supervisor sees the start failed.
    Console.Error.WriteLine($"meterai server: cannot start: {e.Message}");
    return 1;
}

app.Run();
return 0;
