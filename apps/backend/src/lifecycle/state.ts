/** What /ready reports on, shared by the start-up and shutdown code. */
export interface Lifecycle {
  /** migrations have been applied by this process */
  migrated: boolean;
  /** SIGTERM received: finishing in-flight requests, accepting no new ones */
  draining: boolean;
}

export const newLifecycle = (): Lifecycle => ({ migrated: false, draining: false });
