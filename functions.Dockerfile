# A function app (Orders or Payments) on the Azure Functions host; docker-compose.yml builds it once per app.
# Build context: the repository root (host.json and the building blocks live there).
#   APP_DIR      the app's folder, e.g. functions-orders
#   APP_PROJECT  its project file in that folder, e.g. Shop.Orders.csproj
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG APP_DIR
ARG APP_PROJECT
WORKDIR /src

# Project files first, so the restore layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props host.json ./
COPY build/ build/
COPY building-blocks/Shop.Messaging.Abstractions/Shop.Messaging.Abstractions.csproj building-blocks/Shop.Messaging.Abstractions/
COPY building-blocks/Shop.Contracts/Shop.Contracts.csproj building-blocks/Shop.Contracts/
COPY building-blocks/Shop.Persistence/Shop.Persistence.csproj building-blocks/Shop.Persistence/
COPY building-blocks/Shop.Messaging.RabbitMq/Shop.Messaging.RabbitMq.csproj building-blocks/Shop.Messaging.RabbitMq/
COPY building-blocks/Shop.Messaging/Shop.Messaging.csproj building-blocks/Shop.Messaging/
COPY building-blocks/Shop.Hosting/Shop.Hosting.csproj building-blocks/Shop.Hosting/
COPY building-blocks/Shop.Api/Shop.Api.csproj building-blocks/Shop.Api/
COPY building-blocks/Shop.Telemetry/Shop.Telemetry.csproj building-blocks/Shop.Telemetry/
COPY ${APP_DIR}/${APP_PROJECT} ${APP_DIR}/
RUN dotnet restore ${APP_DIR}/${APP_PROJECT}

COPY building-blocks/ building-blocks/
COPY ${APP_DIR}/ ${APP_DIR}/
# Publish also builds the Worker SDK's extensions project (.azurefunctions/) and writes functions.metadata.
RUN dotnet publish ${APP_DIR}/${APP_PROJECT} -c Release -o /app/publish --no-restore -p:UseAppHost=false

# The Functions host (port 80) runs the isolated worker. The image runs as root: its host expects to
# own /home and port 80, and Microsoft documents no non-root mode for it.
FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0 AS final
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
WORKDIR /home/site/wwwroot
COPY --from=build /app/publish .
EXPOSE 80
