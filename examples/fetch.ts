// A Fetch-API handler (the shape Bun, Deno, Hono and Next.js route handlers use) with authenticateRequest.
// Run: node --import tsx examples/fetch.ts   (PORT default 3000, 0 picks a free port; JWT_SECRET default random)
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { authenticateRequest, errorResponse, type JwtRequestOptions, sign } from '../src/index.js'

const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('base64url')
const auth: JwtRequestOptions<Request> = { secret, realm: 'example', unless: { path: ['/'] } }

/** Bun: `Bun.serve({ fetch: handle })`; Deno: `Deno.serve(handle)`. */
export async function handle(request: Request): Promise<Response> {
  try {
    const claims = await authenticateRequest(request, auth)
    return Response.json({ hello: claims?.sub ?? 'anonymous' })
  } catch (error) {
    return errorResponse(error, { realm: 'example' })
  }
}

// Node has no built-in Request server, so bridge node:http to `handle`.
const server = createServer(async (req, res) => {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '')
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(`http://localhost${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: 'half',
  } as RequestInit)
  const response = await handle(request)
  response.headers.forEach((value, name) => {
    res.setHeader(name, value)
  })
  res.writeHead(response.status)
  res.end(Buffer.from(await response.arrayBuffer()))
})

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  console.log(`listening on ${url}`)
  console.log(`try: curl -H "Authorization: Bearer ${sign({ sub: 'demo' }, secret, { expiresIn: '1h' })}" ${url}/me`)
})
