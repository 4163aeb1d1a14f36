// Express 5 with jwtMiddleware, public routes and an express-jwt style error handler.
// Run: node --import tsx examples/express.ts   (PORT default 3000, 0 picks a free port; JWT_SECRET default random)
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express, { type NextFunction, type Request, type Response } from 'express'
import { describeError, jwtMiddleware, sign } from '../src/index.js'

const secret = process.env.JWT_SECRET ?? randomBytes(32).toString('base64url')
const app = express()

app.use(express.json())
app.use(jwtMiddleware({ secret, realm: 'example', unless: { path: ['/', '/login'] } }))

app.get('/', (_req, res) => {
  res.json({ public: true })
})
app.post('/login', (_req, res) => {
  res.json({ access_token: sign({ sub: 'demo' }, secret, { expiresIn: '15m' }) })
})
app.get('/me', (req: Request & { user?: { sub?: string } }, res) => {
  res.json({ hello: req.user?.sub })
})
app.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
  if (err.name !== 'UnauthorizedError') return next(err)
  const { status, headers, body } = describeError(err, { realm: 'example' })
  res.status(status).set(headers).json(body)
})

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  console.log(`listening on ${url}`)
  console.log(`try: curl -X POST ${url}/login, then curl -H "Authorization: Bearer <access_token>" ${url}/me`)
})
