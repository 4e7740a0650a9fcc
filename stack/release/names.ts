/**
 * The names the app's Helm release owns: the chart's fullname (prefix of every object it renders), the
 * Secret the stack makes for it, and the annotation keys the stack adds. Written here once; the rest of
 * the stack and the tests import them.
 */

/** Name prefix of every chart object: <fullname>-backend, <fullname>-frontend, <fullname>-postgresql. */
export const FULLNAME = "todo-chatbot";
/** The backend Deployment (the workload the Secret's checksum rolls). */
export const BACKEND_WORKLOAD = `${FULLNAME}-backend`;
export const FRONTEND_SERVICE = `${FULLNAME}-frontend`;
/** The frontend Service's port (the chart's default frontend.service.port). */
export const FRONTEND_PORT = 80;

/** The one Secret the stack makes (AppSecrets) and the chart reads as `existingSecret`. */
export const SECRET_NAME = "todo-chatbot-credentials";

/** Pod annotation that rolls the backend when the stack's Secret changes. */
export const SECRET_CHECKSUM_ANNOTATION = "todo-chatbot.dev/secret-checksum";
