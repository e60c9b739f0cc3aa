using Meterai.Server;

var app = ServerHost.Build(args);
app.Run();
