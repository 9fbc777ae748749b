# PortalDesk as a container image: built once (server, SDK, portal), run without dev dependencies,
# a compiler or apt-get at start. One image serves as server (default) and as worker
# (`node dist/src/worker.js`). docs/DEPLOY.md has every variable; this file was not built on the
# machine it was written on (no Docker engine there), see that document.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY sdk/package.json sdk/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# Page counts, thumbnails, word boxes and OCR (qpdf, poppler, Tesseract with Dutch and English);
# tini forwards SIGTERM so the server drains.
RUN apt-get update \
  && apt-get install -y --no-install-recommends qpdf poppler-utils tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng tini ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/sdk/package.json sdk/
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000 2525
# Ready: start-up complete, database reachable, migrations applied (503 while starting or draining).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
