# Fuhan — Telegram bot / terminal chat over Chinese government reply letters.
#
#   docker build -t fuhan .
#   docker run -it --rm -v fuhan-data:/data fuhan                        # terminal chat
#   docker run -d --name fuhan -v fuhan-data:/data -e BOT_TOKEN=123:ABC… fuhan   # Telegram bot
#
# /data holds the index (FUHAN_INDEX), the bot's status file (FUHAN_STATUS_FILE, read by the
# HEALTHCHECK) and the downloaded embedding model (FUHAN_MODEL_CACHE), so none of them is rebuilt or
# re-downloaded when the container is replaced. Run detached without BOT_TOKEN, the container says
# that a bot token (or `-it` for the terminal chat) is needed and exits 2.

# --- dependencies (hnswlib-node compiles a native addon: it needs a toolchain here only) ---
FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# onnxruntime-node would otherwise download CUDA libraries at install (npm before 11.16 ignores
# package.json's allowScripts); its CPU binaries ship in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json ./
# The download cache goes to a folder removed in the same layer (`npm cache clean --force` would print
# an npm warning). onnxruntime-web is not used by Node: transformers.js loads onnxruntime-node (and
# -common) there, and bundles what it needs of -web; the package is the browser build (144 MB).
RUN npm ci --omit=dev --cache /tmp/npm-cache \
 && rm -rf /tmp/npm-cache node_modules/onnxruntime-web

# --- runtime ---
FROM node:24-bookworm-slim
# tini as PID 1: signals reach Node, `docker stop` ends the bot within its 5 s grace, zombies are reaped.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    FUHAN_INDEX=/data/index \
    FUHAN_STATUS_FILE=/data/bot-status.json \
    FUHAN_MODEL_CACHE=/data/models
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY corpus ./corpus
COPY index ./index
COPY bot ./bot
# What `npm install` does outside Docker once the sources are there: compile the command line (it then
# starts without tsx) and cache the CC-CEDICT look-up tables index builds use.
RUN npm run prepare
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Webhook mode listens here when FUHAN_WEBHOOK_URL is set (and serves the web pages on the same port).
EXPOSE 8080
# The index opens; with BOT_TOKEN set, the bot has reached the Bot API recently (fuhan health).
HEALTHCHECK --interval=60s --timeout=20s --start-period=120s --retries=3 CMD ["node", "bin/fuhan.js", "health"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/fuhan.js", "start"]
