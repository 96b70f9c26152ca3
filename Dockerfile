FROM node:20-bookworm-slim
RUN npm install -g pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm turbo run build --filter=@trellis/server --filter=@trellis/web --filter=@trellis/worker
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# The same image runs the worker: `node --enable-source-maps apps/worker/dist/main.js` (docker-compose.yml).
CMD ["node", "--enable-source-maps", "apps/server/dist/main.js"]
