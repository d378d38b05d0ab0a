namespace Shop.Deployment.Tests.Docker;

/// <summary>A parsed Dockerfile: its stages, and every way it breaks the rules the parser checks.</summary>
public sealed record Dockerfile(IReadOnlyList<DockerStage> Stages, IReadOnlyList<string> Errors)
{
    public DockerStage Final => Stages[^1];

    public DockerStage? Stage(string nameOrIndex) => int.TryParse(nameOrIndex, out var index)
        ? Stages.ElementAtOrDefault(index)
        : Stages.FirstOrDefault(s => string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase));

    /// <summary>COPY and ADD instructions of every stage whose sources come from the build context, not from another stage.</summary>
    public IEnumerable<(DockerStage Stage, DockerInstruction Copy)> ContextCopies() =>
        from stage in Stages
        from instruction in stage.Instructions
        where instruction.Keyword is "COPY" or "ADD" && instruction.Flag("from") is null
        select (stage, instruction);
}
