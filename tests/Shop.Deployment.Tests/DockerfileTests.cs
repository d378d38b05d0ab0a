using System.Xml.Linq;

namespace Shop.Deployment.Tests;

/// <summary>Each Dockerfile docker-compose.yml builds: it parses, copies only what its context holds, restores with every project it needs, runs non-root where the base allows.</summary>
public sealed class DockerfileTests(ComposeFixture compose) : IClassFixture<ComposeFixture>
{
    private const string FunctionsImage = "mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0";
    private const string FunctionsScriptRoot = "/home/site/wwwroot";

    private static readonly string[] Built = ["functions-orders", "functions-payments", "gateway-proxy", "static-site"];

    public static TheoryData<string> BuiltServices => new(Built);

    public static TheoryData<string> DotnetServices => new(DotnetApp.All.Select(app => app.Service));

    public static TheoryData<string> NonRootServices => new("gateway-proxy", "static-site");

    [Fact]
    public void Compose_builds_exactly_these_images()
    {
        var built = compose.Configuration.Services.Values.Where(s => s.BuildContext is not null).Select(s => s.Name).Order();

        Assert.Equal(Built.Order(), built);
    }

    [Fact]
    public void Both_function_apps_build_from_one_Dockerfile_with_their_own_project()
    {
        var orders = compose.Configuration.Services["functions-orders"];
        var payments = compose.Configuration.Services["functions-payments"];

        Assert.Equal(orders.Dockerfile, payments.Dockerfile);
        Assert.Equal(orders.BuildContext, payments.BuildContext);
        Assert.Equal(["functions-orders", "Shop.Orders.csproj"], [orders.BuildArguments["APP_DIR"], orders.BuildArguments["APP_PROJECT"]]);
        Assert.Equal(["functions-payments", "Shop.Payments.csproj"], [payments.BuildArguments["APP_DIR"], payments.BuildArguments["APP_PROJECT"]]);
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_parses(string service)
    {
        var (dockerfile, path, _) = Load(service);

        Assert.True(dockerfile.Errors.Count == 0, $"{path}:{Environment.NewLine}{string.Join(Environment.NewLine, dockerfile.Errors)}");
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Every_copied_path_exists_in_the_build_context(string service)
    {
        var (dockerfile, path, context) = Load(service);

        var problems = dockerfile.ContextCopies()
            .SelectMany(c => c.Copy.Arguments.SkipLast(1).Select(source => (c.Copy, Why: context.WhyMissing(source))))
            .Where(p => p.Why is not null)
            .Select(p => $"{p.Copy}: {p.Why}")
            .ToList();

        Assert.True(problems.Count == 0, $"{path}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    [Theory]
    [MemberData(nameof(NonRootServices))]
    public void Final_stage_runs_as_a_non_root_user(string service)
    {
        var (dockerfile, path, _) = Load(service);

        var user = dockerfile.Final.User;

        Assert.True(user is not null && user.Split(':')[0] is not ("root" or "0"), $"{path}: the final stage must set a non-root USER (has: {user ?? "none"}).");
    }

    [Theory]
    [MemberData(nameof(DotnetServices))]
    public void Restore_sees_every_project_and_build_file_it_needs(string service)
    {
        var app = DotnetApp.Named(service);
        var (dockerfile, path, _) = Load(service);
        var build = dockerfile.Stages.Single(s => s.All("RUN").Any(r => r.Text.Contains("dotnet restore", StringComparison.Ordinal)));
        var restore = build.All("RUN").First(r => r.Text.Contains("dotnet restore", StringComparison.Ordinal));
        var publish = build.All("RUN").FirstOrDefault(r => r.Text.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.True(publish is not null, $"{path}: the build stage has no `dotnet publish`.");

        var projects = ProjectClosure(app.ProjectPath);
        var imports = ImportedFiles(projects).ToList();
        List<string> restoreInputs = ["Directory.Build.props", "Directory.Packages.props", .. projects, .. imports];
        if (app.Host == AppHost.AzureFunctions)
        {
            restoreInputs.Add("host.json");
        }

        var missing = restoreInputs.Where(file => !CopiedBefore(build, restore, file)).Select(file => $"{file} before `{restore.Text}`")
            .Concat(projects.Select(Path.GetDirectoryName).Select(dir => dir!.Replace('\\', '/') + "/")
                // Any source file of the project stands for all of them.
                .Where(dir => !CopiedBefore(build, publish, dir + "Source.cs"))
                .Select(dir => $"the sources of {dir} before `{publish.Text}`"))
            .Concat(SourcesCompiledBy(imports).Where(file => !CopiedBefore(build, publish, file)).Select(file => $"{file} before `{publish.Text}`"))
            .ToList();

        Assert.True(missing.Count == 0, $"{path} does not copy:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    [Theory]
    [MemberData(nameof(DotnetServices))]
    public void Publish_output_is_copied_into_the_final_stage(string service)
    {
        var app = DotnetApp.Named(service);
        var (dockerfile, path, _) = Load(service);
        var final = dockerfile.Final;
        var copy = final.All("COPY").FirstOrDefault(c => c.Flag("from") is not null);
        Assert.True(copy is not null, $"{path}: the final stage copies nothing from the build stage.");

        var destination = Resolve(final.WorkdirAt(copy), copy.Arguments[^1]);

        if (app.Host == AppHost.AzureFunctions)
        {
            Assert.Equal(FunctionsImage, final.BaseImage);
            Assert.Equal(FunctionsScriptRoot, destination);
        }
        else
        {
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", final.BaseImage, StringComparison.Ordinal);
            var entrypoint = final.All("ENTRYPOINT").LastOrDefault();
            Assert.True(entrypoint is not null, $"{path}: the final stage has no ENTRYPOINT.");
            Assert.Equal(["dotnet", app.AssemblyFileName], entrypoint.Arguments);
        }
    }

    private (Dockerfile Dockerfile, string Path, BuildContext Context) Load(string service)
    {
        Assert.True(compose.Configuration.Services.TryGetValue(service, out var composed), $"docker-compose.yml has no service {service}.");
        var context = Path.GetFullPath(composed.BuildContext!, RepositoryRoot.Path);
        var path = Path.Combine(context, composed.Dockerfile!);
        Assert.True(File.Exists(path), $"{path} does not exist.");
        return (DockerfileParser.Parse(File.ReadAllText(path), composed.BuildArguments), path, new BuildContext(context));
    }

    // True when a COPY from the context before `until` brings `file` (a path relative to the context) in, by name or with a folder above it.
    private static bool CopiedBefore(DockerStage stage, DockerInstruction until, string file) => stage.Instructions
        .TakeWhile(i => i != until)
        .Where(i => i.Keyword is "COPY" or "ADD" && i.Flag("from") is null)
        .SelectMany(i => i.Arguments.SkipLast(1))
        .Select(source => source.TrimStart('/').TrimEnd('/'))
        .Any(source => source is "." or "" || file == source || file.StartsWith(source + "/", StringComparison.Ordinal));

    /// <summary>The project and every project it references, transitively, as paths relative to the repository root.</summary>
    private static List<string> ProjectClosure(string projectPath)
    {
        var found = new List<string>();
        var pending = new Stack<string>([projectPath]);
        while (pending.TryPop(out var project))
        {
            if (found.Contains(project))
            {
                continue;
            }

            found.Add(project);
            var directory = Path.GetDirectoryName(RepositoryRoot.Combine(project))!;
            foreach (var reference in XDocument.Load(RepositoryRoot.Combine(project)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'));
            }
        }

        return found;
    }

    /// <summary>The build files the projects import by a path of their own (e.g. build/RuntimeSettings.props), relative to the repository root.</summary>
    private static IEnumerable<string> ImportedFiles(IEnumerable<string> projects) =>
        projects.SelectMany(project => XDocument.Load(RepositoryRoot.Combine(project)).Descendants("Import")
                .Select(import => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryRoot.Combine(project))!,
                    import.Attribute("Project")!.Value.Replace('\\', '/')))))
            .Select(full => Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'))
            .Distinct();

    /// <summary>The source files the imported build files compile into the projects (e.g. build/SocketCompletions.cs), relative to the repository root.</summary>
    private static IEnumerable<string> SourcesCompiledBy(IEnumerable<string> imports) =>
        imports.SelectMany(import => XDocument.Load(RepositoryRoot.Combine(import)).Descendants("Compile")
                .Select(compile => compile.Attribute("Include")!.Value
                    .Replace("$(MSBuildThisFileDirectory)", Path.GetDirectoryName(import) + "/", StringComparison.Ordinal))
                .Select(file => Path.GetRelativePath(RepositoryRoot.Path, Path.GetFullPath(file.Replace('\\', '/'), RepositoryRoot.Path)).Replace('\\', '/')))
            .Distinct();

    private static string Resolve(string workdir, string destination)
    {
        var combined = destination.StartsWith('/') ? destination : workdir.TrimEnd('/') + "/" + destination;
        var segments = new List<string>();
        foreach (var segment in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return "/" + string.Join('/', segments);
    }
}
