namespace Shop.Gateway.Auth;

/// <summary>Who a request comes from: a user id, or the problem that stops the request.</summary>
public sealed record IdentityResult
{
    private IdentityResult(long userId, IdentityProblem? problem)
    {
        UserId = userId;
        Problem = problem;
    }

    /// <summary>The user, a positive integer; 0 when <see cref="Problem"/> is set.</summary>
    public long UserId { get; }

    public IdentityProblem? Problem { get; }

    public bool Succeeded => Problem is null;

    public static IdentityResult User(long userId) => new(userId, null);

    public static IdentityResult Refused(IdentityProblem problem) => new(0, problem);
}
