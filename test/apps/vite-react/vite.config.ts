import type { IncomingMessage, ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

// The app's own SSE endpoint, served by `vite preview` (no second process): `/sse` for GET, POST echoes the body's prompt.
function sse(): Plugin {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let prompt: string | undefined
    if (req.method === 'POST') {
      let text = ''
      for await (const chunk of req) text += chunk
      prompt = JSON.parse(text || '{}').prompt
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    res.write(': connected\n\n') // headers and a first byte at once: the client opens without waiting for an event
    let n = 0
    const timer = setInterval(() => res.write(`id: ${++n}\ndata: ${JSON.stringify({ n, prompt })}\n\n`), 200)
    req.on('close', () => clearInterval(timer))
  }
  return {
    name: 'sse',
    configurePreviewServer(server) {
      server.middlewares.use('/sse', (req, res) => void handle(req, res))
    },
  }
}

// `--mode stub`: the app without the library (src/stub.tsx), for test/apps/run.ts to weigh the library by.
const stub = fileURLToPath(new URL('src/stub.tsx', import.meta.url))

export default defineConfig(({ mode }) => ({
  plugins: [react(), sse()],
  resolve: mode === 'stub' ? { alias: { 'use-event-source/devtools': stub, 'use-event-source': stub } } : undefined,
}))
