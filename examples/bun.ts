// Bun.serve with authenticateRequest: Bun hands the handler a Fetch Request, which is what the adapter takes.
// Run: bun examples/bun.ts   (PORT default 3000, 0 picks a free port; JWT_SECRET default random)
import { randomBytes } from 'node:crypto'
import { authenticateRequest, errorResponse, type JwtRequestOptions, sign } from '../src/index.js'

/** The part of Bun's global this example uses (the repository type-checks without Bun's own types). */
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch(request: Request): Promise<Response> }): { port: number }
}

const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('base64url')
const auth: JwtRequestOptions<Request> = { secret, realm: 'example', unless: { path: ['/'] } }

async function handle(request: Request): Promise<Response> {
  try {
    const claims = await authenticateRequest(request, auth)
    return Response.json({ sub: claims?.sub ?? null })
  } catch (error) {
    // The options give errorResponse the realm for the WWW-Authenticate challenge (RFC 6750 §3).
    return errorResponse(error, auth)
  }
}

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000), fetch: handle })
const url = `http://127.0.0.1:${server.port}`
console.log(`listening on ${url}`)
console.log(`try: curl -H "Authorization: Bearer ${sign({ sub: 'demo' }, secret, { expiresIn: '1h' })}" ${url}/me`)
