# Build and run the Petitions site. Used by docker-compose.yml; configure it with environment variables (see README).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Petitions.Web/Petitions.Web.csproj src/Petitions.Web/
RUN dotnet restore src/Petitions.Web/Petitions.Web.csproj
COPY src/ src/
RUN dotnet publish src/Petitions.Web/Petitions.Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The delivery PDF's font for Chinese, Japanese and Korean names (the others ship inside the app).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Petitions.Web.dll"]
