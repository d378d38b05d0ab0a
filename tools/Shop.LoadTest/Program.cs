using Shop.LoadTest;
using Shop.LoadTest.Commands;

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
Action<string> log = Console.WriteLine;
return options.Mode switch
{
    "sweep" => await SweepCommand.ExecuteAsync(options, log, stop.Token),
    "limits" => await LimitsCommand.ExecuteAsync(options, log, stop.Token),
    _ => await RunCommand.ExecuteAsync(options, log, stop.Token),
};
