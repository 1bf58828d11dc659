# syntax=docker/dockerfile:1
# The HTPI customer portal: one image for Kubernetes (NATS_URL pointing at a NATS cluster) and for
# the seed's one-liner `docker run -p 5000:5000 -e STANDALONE_MODE=true htpi-customer-portal`
# (the image carries nats-server for that, started as a loopback-only child).

ARG DOTNET_VERSION=10.0
ARG NODE_VERSION=22
ARG NATS_VERSION=2.10

# --- 1. The browser bundle: src/Portal.Web builds into src/Portal.Host/wwwroot --------------------
FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /src
COPY src/Portal.Web/package.json src/Portal.Web/package-lock.json src/Portal.Web/
RUN cd src/Portal.Web && npm ci --no-audit --no-fund
COPY src/Portal.Host/wwwroot/ src/Portal.Host/wwwroot/
COPY src/Portal.Web/ src/Portal.Web/
RUN cd src/Portal.Web && npm run build

# --- 2. The .NET build: restore on the project files alone so the layer survives code changes ----
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Portal.Protocol/Portal.Protocol.csproj src/Portal.Protocol/
COPY src/Portal.Actors/Portal.Actors.csproj src/Portal.Actors/
COPY src/Portal.DemoServices/Portal.DemoServices.csproj src/Portal.DemoServices/
COPY src/Portal.Host/Portal.Host.csproj src/Portal.Host/
RUN dotnet restore src/Portal.Host/Portal.Host.csproj
COPY src/Portal.Protocol/ src/Portal.Protocol/
COPY src/Portal.Actors/ src/Portal.Actors/
COPY src/Portal.DemoServices/ src/Portal.DemoServices/
COPY src/Portal.Host/ src/Portal.Host/
COPY --from=web /src/src/Portal.Host/wwwroot/ src/Portal.Host/wwwroot/
RUN dotnet publish src/Portal.Host/Portal.Host.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# --- 3. nats-server, for STANDALONE_MODE only (a static Go binary) ------------------------------
FROM nats:${NATS_VERSION}-alpine AS nats

# --- 4. Runtime -----------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
WORKDIR /app
COPY --from=nats /usr/local/bin/nats-server /usr/local/bin/nats-server
COPY --from=build /app ./

# PORT is the host's own setting; the image's default ASPNETCORE_HTTP_PORTS=8080 is cleared so
# Kestrel listens where PORT says. Nothing is written under the root filesystem: it may be
# mounted read-only (Kubernetes gives /tmp an emptyDir), and no dump or diagnostics pipe is opened.
ENV PORT=5000 \
    ENV=production \
    ASPNETCORE_HTTP_PORTS= \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
EXPOSE 5000

# The image's built-in non-root user (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Portal.Host.dll"]
