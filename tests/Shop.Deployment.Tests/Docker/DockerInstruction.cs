namespace Shop.Deployment.Tests.Docker;

/// <summary>One instruction, continuation lines joined: <c>COPY --from=build /app/publish .</c> is keyword COPY, flags {from: build}, arguments [/app/publish, .].</summary>
public sealed record DockerInstruction(int Line, string Keyword, IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Arguments, string Text)
{
    public string? Flag(string name) => Flags.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"line {Line}: {Keyword} {Text}";
}
