// A bare node:http server behind withJwt.  Run: node --import tsx examples/node-http.ts
// PORT (default 3000; 0 picks a free port) and JWT_SECRET (default: a random one) come from the environment.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sign, withJwt } from '../src/index.js'

const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('base64url')

const server = createServer(
  withJwt({ secret, realm: 'example', readBody: true, unless: { path: ['/health'] } }, (req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ hello: req.user?.sub ?? 'anonymous' }))
  }),
)

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  console.log(`listening on ${url}`)
  console.log(`try: curl -H "Authorization: Bearer ${sign({ sub: 'demo' }, secret, { expiresIn: '1h' })}" ${url}/me`)
})
