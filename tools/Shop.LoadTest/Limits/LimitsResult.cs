namespace Shop.LoadTest.Limits;

/// <summary>The machine's raw rates, measured on scratch resources beside the system.</summary>
public sealed record LimitsResult(
    double PostgresCommitsOneClient,
    double PostgresCommitsSixteenClients,
    double PostgresCommitP50MsOneClient,
    double RabbitConfirmedOneAtATime,
    double RabbitConfirmed128InFlight,
    double SecondsEach);
