using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Shop.Api.Admission;

public static class AdmissionExtensions
{
    /// <summary>Admission control for the app's write requests, weighing the backlog <typeparamref name="TGauge"/> measures.</summary>
    public static IHostApplicationBuilder AddAdmissionControl<TGauge>(this IHostApplicationBuilder builder)
        where TGauge : class, IBacklogGauge
    {
        builder.Services.AddOptions<AdmissionOptions>()
            .BindConfiguration(AdmissionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TGauge>();
        builder.Services.AddSingleton<IBacklogGauge>(services => services.GetRequiredService<TGauge>());
        if (typeof(IHostedService).IsAssignableFrom(typeof(TGauge)))
        {
            // A gauge that samples in the background runs as a hosted service.
            builder.Services.AddSingleton(services => (IHostedService)services.GetRequiredService<TGauge>());
        }
        builder.Services.AddSingleton<AdmissionControl>();
        return builder;
    }
}
