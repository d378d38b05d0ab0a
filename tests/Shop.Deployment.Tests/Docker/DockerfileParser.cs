namespace Shop.Deployment.Tests.Docker;

/// <summary>
/// Parses the Dockerfile syntax this repository uses (no heredocs) and checks what a build would reject:
/// unknown instructions, anything but ARG before the first FROM, duplicate stage names, COPY --from naming no
/// earlier stage, COPY/ADD without a source and destination.
/// </summary>
public static class DockerfileParser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    /// <summary>Parses the text a build with these arguments sees (see <see cref="BuildArguments"/>).</summary>
    public static Dockerfile Parse(string text, IReadOnlyDictionary<string, string> buildArguments)
    {
        var (substituted, errors) = BuildArguments.Substitute(text, buildArguments);
        var parsed = Parse(substituted);
        return parsed with { Errors = [.. errors, .. parsed.Errors] };
    }

    public static Dockerfile Parse(string text)
    {
        var errors = new List<string>();
        var stages = new List<DockerStage>();
        DockerInstruction? from = null;
        var body = new List<DockerInstruction>();

        foreach (var instruction in Instructions(text, errors))
        {
            if (instruction.Keyword == "FROM")
            {
                Close();
                from = instruction;
                if (instruction.Arguments.Count is not (1 or 3)
                    || instruction.Arguments.Count == 3 && !instruction.Arguments[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{instruction}: expected `FROM image [AS name]`.");
                }

                var name = instruction.Arguments.Count == 3 ? instruction.Arguments[2] : null;
                if (name is not null && stages.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add($"{instruction}: stage name '{name}' is used twice.");
                }
            }
            else if (from is null)
            {
                if (instruction.Keyword != "ARG")
                {
                    errors.Add($"{instruction}: only ARG may come before the first FROM.");
                }
            }
            else
            {
                Check(instruction, stages, errors);
                body.Add(instruction);
            }
        }

        Close();
        if (stages.Count == 0)
        {
            errors.Add("No FROM instruction.");
        }

        return new Dockerfile(stages, errors);

        void Close()
        {
            if (from is null)
            {
                return;
            }

            var name = from.Arguments.Count == 3 ? from.Arguments[2] : null;
            stages.Add(new DockerStage(stages.Count, name, from.Arguments.FirstOrDefault() ?? "", from, body.ToList()));
            body.Clear();
        }
    }

    private static void Check(DockerInstruction instruction, List<DockerStage> earlierStages, List<string> errors)
    {
        switch (instruction.Keyword)
        {
            case "COPY" or "ADD":
                if (instruction.Arguments.Count < 2)
                {
                    errors.Add($"{instruction}: needs at least one source and a destination.");
                }

                if (instruction.Flag("from") is { } stage
                    && !earlierStages.Any(s => string.Equals(s.Name, stage, StringComparison.OrdinalIgnoreCase) || s.Index.ToString() == stage))
                {
                    errors.Add($"{instruction}: --from={stage} names no earlier stage (stages: {string.Join(", ", earlierStages.Select(s => s.Name ?? s.Index.ToString()))}).");
                }

                break;
            case "USER" or "WORKDIR" when instruction.Arguments.Count != 1:
                errors.Add($"{instruction}: takes exactly one argument.");
                break;
            case "EXPOSE" when instruction.Arguments.Any(port => !int.TryParse(port.Split('/')[0], out _)):
                errors.Add($"{instruction}: ports must be numbers.");
                break;
        }
    }

    private static IEnumerable<DockerInstruction> Instructions(string text, List<string> errors)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            var joined = new StringBuilder();
            while (true)
            {
                var continued = line.EndsWith('\\');
                joined.Append(continued ? line[..^1] : line).Append(' ');
                if (!continued || i + 1 >= lines.Length)
                {
                    break;
                }

                // Comment lines inside a continued instruction are dropped, as BuildKit does.
                do
                {
                    line = lines[++i].Trim();
                }
                while (line.StartsWith('#') && i + 1 < lines.Length);
            }

            var content = joined.ToString().Trim();
            var space = content.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? content : content[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : content[(space + 1)..].Trim();
            if (!Keywords.Contains(keyword))
            {
                errors.Add($"line {start}: unknown instruction '{keyword}'.");
                continue;
            }

            if (rest.Contains("<<", StringComparison.Ordinal) && keyword is "RUN" or "COPY")
            {
                errors.Add($"line {start}: heredocs are not supported by this parser; write the step without one.");
            }

            var (flags, arguments) = SplitArguments(keyword, rest, start, errors);
            yield return new DockerInstruction(start, keyword, flags, arguments, rest);
        }
    }

    private static (Dictionary<string, string> Flags, List<string> Arguments) SplitArguments(string keyword, string rest, int line, List<string> errors)
    {
        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        // Only these instructions take --flags before their arguments.
        if (keyword is "FROM" or "COPY" or "ADD" or "RUN" or "HEALTHCHECK")
        {
            while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
            {
                var flag = words[0][2..].Split('=', 2);
                flags[flag[0]] = flag.Length > 1 ? flag[1] : "true";
                words.RemoveAt(0);
            }
        }

        var afterFlags = string.Join(' ', words);
        if (afterFlags.StartsWith('[') && keyword is "COPY" or "ADD" or "CMD" or "ENTRYPOINT" or "RUN" or "SHELL" or "VOLUME")
        {
            try
            {
                return (flags, JsonSerializer.Deserialize<List<string>>(afterFlags) ?? []);
            }
            catch (JsonException e)
            {
                errors.Add($"line {line}: {keyword} has an invalid JSON array: {e.Message}");
            }
        }

        return (flags, words);
    }
}
