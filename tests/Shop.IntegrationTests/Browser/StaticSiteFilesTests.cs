namespace Shop.IntegrationTests.Browser;

/// <summary>The page needs no build and no CDN: the pinned SignalR client is vendored into public/vendor/.</summary>
public sealed partial class StaticSiteFilesTests
{
    private static readonly string Site = Path.Combine(RepositoryPaths.Root, "static-site");

    [Fact]
    public void The_signalr_client_is_pinned_to_an_exact_version_in_package_json_and_the_lock_file()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site, "package.json")));
        var version = package.RootElement.GetProperty("dependencies").GetProperty("@microsoft/signalr").GetString()!;
        Assert.Matches(ExactVersion(), version);

        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Site, "package-lock.json")));
        var locked = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/@microsoft/signalr").GetProperty("version").GetString();
        Assert.Equal(version, locked);
    }

    [Fact]
    public void The_vendored_signalr_client_is_the_one_npm_installs()
    {
        var vendored = Path.Combine(Site, "public", "vendor", "signalr.min.js");
        Assert.True(File.Exists(vendored), "static-site/public/vendor/signalr.min.js is missing: run `npm ci && npm run vendor` in static-site/.");

        // node_modules/ exists only after `npm ci`; without it the committed copy is all there is to check.
        var installed = Path.Combine(Site, "node_modules", "@microsoft", "signalr", "dist", "browser", "signalr.min.js");
        if (File.Exists(installed))
        {
            Assert.True(File.ReadAllBytes(installed).AsSpan().SequenceEqual(File.ReadAllBytes(vendored)),
                "public/vendor/signalr.min.js differs from node_modules: run `npm run vendor` in static-site/ and commit the copy.");
        }
    }

    [Fact]
    public void The_page_loads_nothing_from_another_site()
    {
        foreach (var file in new[] { "index.html", "app.js", "styles.css" })
        {
            Assert.DoesNotMatch(ExternalAsset(), File.ReadAllText(Path.Combine(Site, "public", file)));
        }
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex(@"(src|href)\s*=\s*[""'](https?:)?//|@import\s+url\(\s*[""']?https?:", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalAsset();
}
