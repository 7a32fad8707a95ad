# Fuhan — Telegram bot / terminal chat over Chinese government reply letters.
#
#   docker build -t fuhan .
#   docker run -it --rm -v fuhan-data:/data fuhan                        # terminal chat
#   docker run -d --rm -v fuhan-data:/data -e BOT_TOKEN=123:ABC… fuhan   # Telegram bot
#
# /data holds the index (FUHAN_INDEX) and the downloaded embedding model (FUHAN_MODEL_CACHE), so
# neither is rebuilt nor re-downloaded when the container is replaced.

# --- dependencies (hnswlib-node compiles a native addon: it needs a toolchain here only) ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# onnxruntime-node would otherwise download CUDA libraries at install; its CPU binaries ship in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    FUHAN_INDEX=/data/index \
    FUHAN_MODEL_CACHE=/data/models
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json .npmrc ./
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
# Webhook mode listens here when FUHAN_WEBHOOK_URL is set.
EXPOSE 8080
CMD ["node", "bin/fuhan.js", "start"]
