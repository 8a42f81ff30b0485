# The bot as a container image: the same production tree that App Service runs (`npm run stage`,
# scripts/stage-app.mjs: the built dist/src, cards, appPackage, seeds and the vendored stub, with production
# dependencies only), on a slim Node 20, as the image's unprivileged `node` user. test/production/dockerfile.test.ts
# checks this file and runs what it runs.
#
#   docker build -t apim-vnet-bot .
#   docker run -p 3978:3978 --env-file .env apim-vnet-bot

# Build: every dependency (the compiler is a devDependency), the build, then the staged tree in /stage
# (`npm ci --omit=dev` inside it).
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY vendor/ vendor/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run stage -- --out /stage

# Run: only the staged tree, owned by root and read-only for the bot; DATA_DIR (the file store) is its one
# writable folder. Bind every interface in the container: a non-loopback HOST needs MicrosoftAppId
# (`serve` refuses to run unauthenticated on it).
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3978 DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /stage/ ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3978
# No curl in the slim image: Node's own fetch asks /healthz on PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli.js", "serve"]
