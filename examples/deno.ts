// Deno.serve with authenticateRequest: Deno hands the handler a Fetch Request, which is what the adapter takes.
// Run: deno run --allow-net --allow-env --allow-read --sloppy-imports examples/deno.ts
//   (--sloppy-imports lets Deno find src/*.ts behind the .js names; an app imports 'jwt-codec' instead.)
//   PORT default 3000, 0 picks a free port; JWT_SECRET default random.
import { randomBytes } from 'node:crypto'
import { authenticateRequest, errorResponse, type JwtRequestOptions, sign } from '../src/index.js'

/** The part of Deno's global this example uses (the repository type-checks without Deno's own types). */
declare const Deno: {
  env: { get(name: string): string | undefined }
  serve(
    options: { hostname: string; port: number; onListen(addr: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown
}

const secret = Deno.env.get('JWT_SECRET') ?? randomBytes(32).toString('base64url')
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

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 3000), onListen }, handle)

function onListen({ port }: { port: number }): void {
  const url = `http://127.0.0.1:${port}`
  console.log(`listening on ${url}`)
  console.log(`try: curl -H "Authorization: Bearer ${sign({ sub: 'demo' }, secret, { expiresIn: '1h' })}" ${url}/me`)
}
