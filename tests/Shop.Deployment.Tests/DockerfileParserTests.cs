namespace Shop.Deployment.Tests;

public sealed class DockerfileParserTests
{
    [Fact]
    public void Stages_flags_and_continuation_lines_are_read()
    {
        var dockerfile = DockerfileParser.Parse("""
            ARG TAG=10.0
            # comment
            FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
            WORKDIR /src
            RUN dotnet publish app.csproj \
                # a comment inside the continuation
                -c Release -o /app/publish
            FROM mcr.microsoft.com/dotnet/aspnet:10.0
            WORKDIR /app
            COPY --from=build /app/publish .
            ENTRYPOINT ["dotnet", "App.dll"]
            """);

        Assert.Empty(dockerfile.Errors);
        Assert.Equal(2, dockerfile.Stages.Count);
        Assert.Equal("build", dockerfile.Stages[0].Name);
        Assert.Contains("-c Release -o /app/publish", dockerfile.Stages[0].All("RUN").Single().Text);
        var copy = dockerfile.Final.All("COPY").Single();
        Assert.Equal("build", copy.Flag("from"));
        Assert.Equal(["/app/publish", "."], copy.Arguments);
        Assert.Equal("/app", dockerfile.Final.WorkdirAt(copy));
        Assert.Equal(["dotnet", "App.dll"], dockerfile.Final.All("ENTRYPOINT").Single().Arguments);
        Assert.Empty(dockerfile.ContextCopies());
    }

    [Theory]
    [InlineData("WORKDIR /src\nFROM alpine\n", "before the first FROM")] // an instruction before FROM
    [InlineData("FROM alpine\nCOPPY a b\n", "'COPPY'")] // an unknown instruction
    [InlineData("FROM alpine AS build\nFROM alpine\nCOPY --from=publish /app .\n", "--from=publish")] // COPY from a stage that does not exist
    [InlineData("FROM alpine\nCOPY --from=build /app .\nFROM alpine AS build\n", "--from=build")] // COPY from a later stage
    public void A_malformed_Dockerfile_is_an_error_naming_what_is_wrong(string text, string error)
    {
        var dockerfile = DockerfileParser.Parse(text);

        Assert.Contains(dockerfile.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_without_FROM_is_an_error()
    {
        Assert.Contains("No FROM instruction.", DockerfileParser.Parse("# nothing\n").Errors);
    }

    [Fact]
    public void Build_arguments_take_the_value_passed_or_the_default_and_leave_shell_variables_alone()
    {
        var dockerfile = DockerfileParser.Parse("""
            FROM alpine AS build
            ARG APP_DIR
            ARG CONFIGURATION=Release
            COPY ${APP_DIR}/ $APP_DIR/
            RUN echo $HOME ${CONFIGURATION}
            """, new Dictionary<string, string> { ["APP_DIR"] = "functions-orders" });

        Assert.Empty(dockerfile.Errors);
        Assert.Equal(["functions-orders/", "functions-orders/"], dockerfile.Final.All("COPY").Single().Arguments);
        Assert.Equal("echo $HOME Release", dockerfile.Final.All("RUN").Single().Text);
    }

    [Fact]
    public void A_build_argument_without_a_value_or_without_an_ARG_is_an_error()
    {
        var dockerfile = DockerfileParser.Parse("FROM alpine\nARG APP_DIR\nCOPY ${APP_DIR}/ app/\n",
            new Dictionary<string, string> { ["APP_DRI"] = "functions-orders" });

        Assert.Contains(dockerfile.Errors, e => e.Contains("APP_DRI is passed, but no ARG declares it", StringComparison.Ordinal));
        Assert.Contains(dockerfile.Errors, e => e.Contains("ARG APP_DIR is used", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerignore_leaves_out_nested_build_folders_and_takes_back_negated_paths()
    {
        var context = Directory.CreateTempSubdirectory("shop-context-");
        try
        {
            File.WriteAllText(Path.Combine(context.FullName, ".dockerignore"), "**/bin/\ntests/\n!tests/keep.txt\n");
            var ignore = DockerIgnore.ForContext(context.FullName);

            Assert.True(ignore.Excludes("bin"));
            Assert.True(ignore.Excludes("building-blocks/Shop.Api/bin/Debug/x.dll"));
            Assert.True(ignore.Excludes("tests/Shop.UnitTests/Test.cs"));
            Assert.False(ignore.Excludes("tests/keep.txt"));
            Assert.False(ignore.Excludes("building-blocks/Shop.Api/Binder.cs"));
        }
        finally
        {
            context.Delete(recursive: true);
        }
    }
}
