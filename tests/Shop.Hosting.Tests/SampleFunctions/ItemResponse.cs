namespace Shop.Hosting.Tests.SampleFunctions;

public sealed record ItemResponse(Guid Id, string Name);
