namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>Glob patterns as .dockerignore and .gitignore write them: <c>*</c>, <c>?</c> and <c>**</c> across folders.</summary>
internal static class Glob
{
    public static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slashFollows = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    public static bool HasWildcard(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;
}
