import type { RequestLogger } from "./request-log.ts";

/** The signed-in caller, as the routes see it. */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
}

/** Hono's typing of c.get()/c.set() across the app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** the request's logger (`.logger`), made on first use */
    log: RequestLogger;
    user: CurrentUser;
  };
}
