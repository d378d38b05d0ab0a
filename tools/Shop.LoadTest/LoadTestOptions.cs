namespace Shop.LoadTest;

/// <summary>Every setting of the tool, with the defaults of a system started by <c>scripts/run.sh</c>.</summary>
public sealed class LoadTestOptions
{
    public string Mode { get; set; } = "run";
    public Uri Gateway { get; set; } = new("http://127.0.0.1:8000/");
    public string OrdersDb { get; set; } = "Host=127.0.0.1;Database=orders;Username=shop;Password=shop";
    public string PaymentsDb { get; set; } = "Host=127.0.0.1;Database=payments;Username=shop;Password=shop";
    public string RabbitMq { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Users the orders are spread over, round robin.</summary>
    public int Users { get; set; } = 100;

    /// <summary>Open model: orders started per second, on schedule, whatever the responses do.</summary>
    public double Rate { get; set; } = 200;

    /// <summary>Closed model instead of the open one: this many clients, each placing its next order after the last answer.</summary>
    public int? Concurrency { get; set; }

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan StepDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Load at the run's rate before the measured window, then a drain: the runtime's tiered JIT compiles the hot paths
    /// for good during the first seconds of load, which a long-running service pays once, not per order.
    /// </summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(10);
    public IReadOnlyList<double> SweepRates { get; set; } = [50, 100, 200, 400, 800, 1600, 3200];
    public TimeSpan P99Limit { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Amount of every order, in minor units.</summary>
    public long Amount { get; set; } = 10;

    /// <summary>Each user's top-up covers this share of the orders it will place, so the rest fail for insufficient funds.</summary>
    public double Coverage { get; set; } = 0.7;

    /// <summary>Share of orders that the REST witness polls (all of them when SignalR is not there).</summary>
    public double RestSample { get; set; } = 0.2;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);
    public bool SignalR { get; set; } = true;
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan LimitsDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Measure the limits first and put the system's figures beside them (run and sweep).</summary>
    public bool WithLimits { get; set; }

    /// <summary>Sweep: run every rate, past the first that fails (to see how the system behaves beyond its knee).</summary>
    public bool KeepGoing { get; set; }

    /// <summary>HTTP ports of the system's apps, to tell its processes from other copies (e.g. tests') on the machine.</summary>
    public IReadOnlyList<int> SystemPorts { get; set; } = [7071, 7072, 8000];

    /// <summary>
    /// Set (from --signing-key, else the environment's Auth__SigningKey) to run against a gateway in Auth:Mode=Jwt: the
    /// tool signs each user's token with this key instead of sending X-User-ID.
    /// </summary>
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = Shop.Identity.ShopTokens.DefaultIssuer;
    public string Audience { get; set; } = Shop.Identity.ShopTokens.DefaultAudience;

    /// <summary>Where the JSON and HTML go; null: artifacts/loadtest of the repository (or of the working directory).</summary>
    public string? Output { get; set; }
    public string? Label { get; set; }

    public const string Usage = """
        Shop.LoadTest — load, latency and consistency audit of the shop through its gateway.

          dotnet run -c Release --project tools/Shop.LoadTest -- <mode> [options]

        modes:
          run      drive orders for --duration at --rate (open model) or --concurrency N (closed model), then audit
          sweep    run --sweep-rates one after another for --step-duration each, until p99 > --p99-limit, errors or
                   refusals (--keep-going: every rate; the knee is still the last step that passed)
          limits   PostgreSQL outbox-transaction commits/s (1 and 16 clients) and RabbitMQ confirmed publishes/s
                   (1 and 128 in flight) on scratch resources; ratios to the latest run/sweep results

        options (defaults in brackets):
          --gateway URL [http://127.0.0.1:8000]   --orders-db CS    --payments-db CS    --rabbitmq AMQP-URI
          --users N [100]   --rate R [200]   --concurrency N   --duration S [60]   --step-duration S [20]
          --warm-up S [10] (load before the measured window, not measured)
          --sweep-rates 50,100,200,... [50..3200]   --p99-limit MS [250]   --amount N [10]   --coverage F [0.7]
          --rest-sample F [0.2]   --poll-interval MS [10]   --no-signalr   --drain-timeout S [60]
          --limits-duration S [5]   --with-limits   --keep-going   --output DIR [artifacts/loadtest]   --label TEXT
          --system-ports 7071,7072,8000 (which Shop.*.dll processes to sample)
          --signing-key BASE64 [$Auth__SigningKey]   --issuer ISS [shop]   --audience AUD [shop]
              with a key, every request and hub connection carries a token the tool signs for its user (Auth:Mode=Jwt);
              --signing-key "" forces X-User-ID (Auth:Mode=Header)
        Exits 1 when the audit finds a violation, 2 on bad arguments.
        """;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        // The gateway's own settings, as scripts/run.sh exports them, unless the command line says otherwise.
        var options = new LoadTestOptions
        {
            SigningKey = Environment.GetEnvironmentVariable("Auth__SigningKey") is { Length: > 0 } key ? key : null,
            Issuer = Environment.GetEnvironmentVariable("Auth__Issuer") is { Length: > 0 } issuer ? issuer : Shop.Identity.ShopTokens.DefaultIssuer,
            Audience = Environment.GetEnvironmentVariable("Auth__Audience") is { Length: > 0 } audience ? audience : Shop.Identity.ShopTokens.DefaultAudience,
        };
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            options.Mode = args[0];
            i = 1;
        }
        if (options.Mode is not ("run" or "sweep" or "limits"))
        {
            throw new ArgumentException($"Unknown mode '{options.Mode}': use run, sweep or limits.");
        }
        for (; i < args.Count; i++)
        {
            var name = args[i];
            string? inline = null;
            if (name.Contains('=', StringComparison.Ordinal))
            {
                inline = name[(name.IndexOf('=', StringComparison.Ordinal) + 1)..];
                name = name[..name.IndexOf('=', StringComparison.Ordinal)];
            }
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value."));
            switch (name)
            {
                case "--gateway": options.Gateway = new Uri(Value().TrimEnd('/') + "/"); break;
                case "--orders-db": options.OrdersDb = Value(); break;
                case "--payments-db": options.PaymentsDb = Value(); break;
                case "--rabbitmq": options.RabbitMq = Value(); break;
                case "--users": options.Users = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--rate": options.Rate = Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--concurrency": options.Concurrency = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--duration": options.Duration = Seconds(name, Value()); break;
                case "--step-duration": options.StepDuration = Seconds(name, Value()); break;
                case "--warm-up": options.WarmUp = Seconds(name, Value()); break;
                case "--sweep-rates":
                    options.SweepRates = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(r => Positive(name, double.Parse(r, CultureInfo.InvariantCulture)))];
                    break;
                case "--p99-limit": options.P99Limit = TimeSpan.FromMilliseconds(Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture))); break;
                case "--amount": options.Amount = Positive(name, long.Parse(Value(), CultureInfo.InvariantCulture)); break;
                case "--coverage": options.Coverage = Math.Clamp(double.Parse(Value(), CultureInfo.InvariantCulture), 0, 10); break;
                case "--rest-sample": options.RestSample = Math.Clamp(double.Parse(Value(), CultureInfo.InvariantCulture), 0, 1); break;
                case "--poll-interval": options.PollInterval = TimeSpan.FromMilliseconds(Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture))); break;
                case "--no-signalr": options.SignalR = false; break;
                case "--drain-timeout": options.DrainTimeout = Seconds(name, Value()); break;
                case "--limits-duration": options.LimitsDuration = Seconds(name, Value()); break;
                case "--with-limits": options.WithLimits = true; break;
                case "--keep-going": options.KeepGoing = true; break;
                case "--system-ports":
                    options.SystemPorts = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
                    break;
                case "--signing-key": options.SigningKey = Value() is { Length: > 0 } signingKey ? signingKey : null; break;
                case "--issuer": options.Issuer = Value(); break;
                case "--audience": options.Audience = Value(); break;
                case "--output": options.Output = Value(); break;
                case "--label": options.Label = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }
        return options;
    }

    /// <summary>The same settings for one step of a sweep.</summary>
    public LoadTestOptions WithRate(double rate, TimeSpan duration)
    {
        var copy = (LoadTestOptions)MemberwiseClone();
        copy.Rate = rate;
        copy.Concurrency = null;
        copy.Duration = duration;
        return copy;
    }

    public string OutputDirectory()
    {
        if (Output is not null)
        {
            return Path.GetFullPath(Output);
        }
        var directory = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? Directory.GetCurrentDirectory(), "artifacts", "loadtest");
    }

    private static T Positive<T>(string name, T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive.");

    private static TimeSpan Seconds(string name, string value) =>
        TimeSpan.FromSeconds(Positive(name, double.Parse(value, CultureInfo.InvariantCulture)));
}
