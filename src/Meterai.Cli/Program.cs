using System.CommandLine;

var root = new RootCommand("meterai: issue, stamp and verify e-Meterai");
return root.Parse(args).Invoke();
