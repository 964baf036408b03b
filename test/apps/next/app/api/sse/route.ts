export const dynamic = 'force-dynamic'

// One stream for GET and POST: a comment at once (Next.js sends headers with the first write), then an event every 200 ms.
function stream(request: Request, prompt?: string): Response {
  const encoder = new TextEncoder()
  let timer: ReturnType<typeof setInterval> | undefined
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(': connected\n\n'))
      let n = 0
      timer = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(`id: ${++n}\ndata: ${JSON.stringify({ n, prompt })}\n\n`))
        } catch {
          clearInterval(timer) // closed under us
        }
      }, 200)
      request.signal.addEventListener('abort', () => clearInterval(timer))
    },
    cancel: () => clearInterval(timer),
  })
  return new Response(body, {
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
  })
}

export const GET = (request: Request) => stream(request)

export async function POST(request: Request) {
  const { prompt } = (await request.json()) as { prompt?: string }
  return stream(request, prompt)
}
