namespace Shop.Hosting;

/// <summary>How a function is triggered; read from its trigger attribute.</summary>
public abstract record FunctionTrigger
{
    // Closed hierarchy: the development host knows how to run only the triggers declared in this assembly.
    private protected FunctionTrigger()
    {
    }
}
