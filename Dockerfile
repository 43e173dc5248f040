# One image for every app; pick it with APP (gateway | profile-service | oauth-app-service | token-service | embedded).
#   docker build -t oauth-platform .
#   docker run -e APP=gateway -e DATABASE_URL=… -e KAFKA_BROKERS=… -p 8080:8080 oauth-platform

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# patches/: fixes to dependencies that upstream has not released, applied by npm's postinstall (patch-package).
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json nx.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
RUN node tools/build.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    APP=gateway \
    PORT=8080 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# APP=embedded keeps its PostgreSQL under DATA_DIR, as the unprivileged user.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8080 8081
# exec: node replaces the shell and gets `docker stop`'s SIGTERM itself (run with --init / compose `init: true`,
# since PID 1 ignores signals it has no handler for).
CMD ["sh", "-c", "exec node --enable-source-maps \"dist/apps/${APP}/src/main.js\""]
