/**
 * Test servers on 127.0.0.1, port 0 (the OS picks a free port), closed by the test that started them.
 */

import { createServer, type RequestListener, type Server } from 'node:http'
import { connect } from 'node:net'
import type { TestContext } from 'node:test'

export interface TestServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>
}

/** Starts a listener (or an existing, not yet listening server) and resolves once it accepts connections. */
export async function startServer(listener: RequestListener | Server): Promise<TestServer> {
  const server = typeof listener === 'function' ? createServer(listener) : listener
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP address')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

/** Starts a server and closes it when the test `t` ends. */
export async function serve(t: TestContext, listener: RequestListener | Server): Promise<string> {
  const server = await startServer(listener)
  t.after(() => server.close())
  return server.url
}

/** The parts of a response read from a raw socket. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends a request written by hand: `fetch` cannot send two `Authorization` field lines (Headers joins them), and
 * that is exactly the request some tests need.
 */
export function rawRequest(url: string, head: string[]): Promise<RawResponse> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const split = text.indexOf('\r\n\r\n')
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(split + 4) })
    })
    socket.write(`${[...head, 'Connection: close'].join('\r\n')}\r\n\r\n`)
  })
}
