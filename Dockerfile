# syntax=docker/dockerfile:1
# The production image: `docker build -t joxicrochet/api .` Both stages are the official Bun image
# on Alpine; the final one holds Bun, the production dependencies and the TypeScript sources
# (Bun runs them as they are: there is no build step). See "The image" in the README.
ARG BUN_IMAGE=oven/bun:1.4.5-alpine

# Dependencies: npm installs exactly what package-lock.json records (Bun's own reading of an npm
# lockfile resolves some packages to other versions), production dependencies only, on musl, so
# that the native packages (sharp, argon2) are the linuxmusl builds the final stage runs.
FROM ${BUN_IMAGE} AS dependencies
WORKDIR /app
RUN apk add --no-cache nodejs npm
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BUN_IMAGE} AS runtime
WORKDIR /app
# Replicas neither migrate nor seed at start: the one-shot job (`bun db/migrate.ts`) does, once,
# before them; a replica started first waits for it.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data \
    MIGRATE_ON_START=false SEED_ON_START=false
# A font for the labels of the seed's placeholder photos (sharp draws text through fontconfig).
RUN apk add --no-cache font-dejavu && mkdir -p /data/images && chown -R bun:bun /data
# Code and dependencies belong to root and are read-only to the process; only /data is its own.
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY generated ./generated
COPY db ./db
COPY src ./src
USER bun
VOLUME ["/data"]
EXPOSE 3000
# Ready means the database answers (503 until it does).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:3000/health/ready || exit 1
# The server finishes the requests in flight on SIGTERM, then exits; give it stop_grace_period.
STOPSIGNAL SIGTERM
CMD ["bun", "src/server.ts"]
