namespace Shop.Hosting.Tests;

/// <summary>
/// functions.metadata for the sample functions, as Microsoft.Azure.Functions.Worker.Sdk 2.1.0 generated it when they were
/// compiled into a function app (only scriptFile renamed); this project cannot reference the SDK without becoming a function app.
/// </summary>
internal static class SampleFunctionsMetadata
{
    public const string Json =
        """
        [
          {
            "name": "Broken",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.BrokenFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "get"
                ],
                "route": "failures/unexpected",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "CreateItem",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.CreateItemFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "post"
                ],
                "route": "items",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "DatabaseDown",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.DatabaseDownFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "get"
                ],
                "route": "failures/database",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "DatabaseDownAfterRetries",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.DatabaseDownFunction.RunWrapped",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "get"
                ],
                "route": "failures/database-retried",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "FlakyTick",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.FlakyTickFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "timer",
                "direction": "In",
                "type": "timerTrigger",
                "schedule": "*/1 * * * * *",
                "properties": {}
              }
            ]
          },
          {
            "name": "GetItem",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.GetItemFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "get"
                ],
                "route": "items/{id:guid}",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "GetItemVersion",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.GetItemVersionFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "get",
                  "head"
                ],
                "route": "items/{id:guid}/versions/{version:long}",
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "MarkItemSeen",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.MarkItemSeenFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Anonymous",
                "methods": [
                  "put"
                ],
                "route": "items/{id:guid}/seen",
                "properties": {}
              }
            ]
          },
          {
            "name": "Ping",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.PingFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "request",
                "direction": "In",
                "type": "httpTrigger",
                "authLevel": "Function",
                "methods": [
                  "get"
                ],
                "properties": {}
              },
              {
                "name": "$return",
                "type": "http",
                "direction": "Out"
              }
            ]
          },
          {
            "name": "Startup",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.StartupFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "timer",
                "direction": "In",
                "type": "timerTrigger",
                "schedule": "0 0 0 1 1 *",
                "runOnStartup": true,
                "properties": {}
              }
            ]
          },
          {
            "name": "Tick",
            "scriptFile": "Shop.Hosting.Tests.dll",
            "entryPoint": "Shop.Hosting.Tests.SampleFunctions.TickFunction.Run",
            "language": "dotnet-isolated",
            "properties": {
              "IsCodeless": false
            },
            "bindings": [
              {
                "name": "timer",
                "direction": "In",
                "type": "timerTrigger",
                "schedule": "*/1 * * * * *",
                "properties": {}
              }
            ]
          }
        ]
        """;
}
