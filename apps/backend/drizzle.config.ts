import { defineConfig } from "drizzle-kit";

// `npm run db:generate -w apps/backend` writes SQL migrations for src/db/schema/*.ts into drizzle/.
// Commit them: the server applies them at start-up (src/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
