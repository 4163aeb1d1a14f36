/**
 * Type-level test of the README's Express augmentation (the Express and Connect section) beside the one
 * @types/passport makes, compiled by `npm run typecheck` like test/types.expect-error.ts. Passport declares
 * `Express.User` (empty, for applications to extend) and `Express.Request.user?: User`; an application that
 * declares `req.user` with a type of its own (`user?: JwtPayload` beside passport's empty User) gets "Subsequent
 * property declarations must have the same type". Extending `Express.User` works with passport and without it. Never run: it is not a *.test.ts file.
 */
import type { Request } from 'express'
import type { JwtPayload } from '../src/index.js'

// What @types/passport declares, copied here because passport is not a dependency of this project.
declare global {
  namespace Express {
    interface User {}
    interface Request {
      user?: User | undefined
    }
  }
}

// The README's augmentation: the claims extend Express.User; `user?: User` is the type passport gives it too.
declare global {
  namespace Express {
    interface User extends JwtPayload {}
    interface Request {
      user?: User
    }
  }
}

// Declaring `req.user` with a type of one's own is what conflicts with passport's declaration (with passport's
// empty User, `user?: JwtPayload` was such a type; here User already extends JwtPayload, so the two agree).
declare global {
  namespace Express {
    interface Request {
      // @ts-expect-error Subsequent property declarations must have the same type (passport's is User | undefined)
      user?: { sub: string }
    }
  }
}

declare const req: Request
/** The registered claims are there, with their RFC 7519 types. */
export const sub: string | undefined = req.user?.sub
export const exp: number | undefined = req.user?.exp
// @ts-expect-error exp is a number, so the claims really are typed through Express.User
export const wrong: string | undefined = req.user?.exp
