using Shop.Gateway;
using Shop.Runtime;

// Before anything opens a socket: the runtime reads the setting once.
SocketCompletions.RunInline();

var app = GatewayApp.Build(args);
await app.RunAsync();
