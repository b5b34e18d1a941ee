# syntax=docker/dockerfile:1
# The hub (band-mcp-server --http) as a container: build from a clone, run non-root with production
# dependencies only. See docs/deploy.md for running it, the standby pair and the Kubernetes example.

# Build: compile and bundle, then pack; the image holds exactly the files the npm package ships.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build \
 && npm pack --pack-destination /tmp \
 && mkdir /out \
 && tar -xzf /tmp/band-mcp-server-*.tgz -C /out --strip-components=1

# Run: production dependencies from the lockfile, the packed files, an unprivileged user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out/package.json /src/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /out/ ./
LABEL io.modelcontextprotocol.server.name="io.github.band-mcp-server/band-mcp-server" \
      org.opencontainers.image.title="band-mcp-server" \
      org.opencontainers.image.description="MCP server hub: a live presence on Band for many agents over Streamable HTTP" \
      org.opencontainers.image.licenses="MIT"
USER node
EXPOSE 8787
# Alive means the hub answers /health: 200 with every agent live, 503 while one is down or standing by.
# A standby replica is healthy (it must stay up to take over); which replica gets an agent's traffic is the
# per-agent /agents/<label>/health, which is 200 only where that agent is live.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/health').then(async (r) => { const body = await r.json(); process.exit((r.status === 200 || r.status === 503) && typeof body.ok === 'boolean' ? 0 : 1); }).catch(() => process.exit(1))"]
# Listening beyond loopback needs BAND_MCP_HTTP_TOKEN (or per-agent tokens, or a JWT secret) in the environment.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["--http", "--host", "0.0.0.0", "--port", "8787"]
