namespace Shop.Deployment.Tests.Docker;

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
public sealed record DockerStage(int Index, string? Name, string BaseImage, DockerInstruction From, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword.Equals(keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>The user the stage's process runs as: its last USER, or null when it keeps the base image's.</summary>
    public string? User => All("USER").LastOrDefault()?.Arguments.FirstOrDefault();

    /// <summary>The working directory in force just before <paramref name="instruction"/>, for resolving relative destinations.</summary>
    public string WorkdirAt(DockerInstruction instruction) => Instructions
        .TakeWhile(i => i != instruction)
        .Where(i => i.Keyword == "WORKDIR")
        .Aggregate("/", (current, workdir) => workdir.Arguments[0].StartsWith('/')
            ? workdir.Arguments[0]
            : current.TrimEnd('/') + "/" + workdir.Arguments[0]);
}
