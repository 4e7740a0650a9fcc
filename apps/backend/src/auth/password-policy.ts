/**
 * Passwords Better Auth's length rule (8-128) lets through but that any guessing list tries first.
 * Lower-cased; a password matches when its lower-cased form is one of these. Short on purpose: the
 * per-account sign-in throttle (5 tries per 5 minutes) makes only the very top of such lists useful.
 */
const COMMON_PASSWORDS = new Set([
  "password", "password1", "password12", "password123", "password!", "passw0rd", "p@ssw0rd", "p@ssword",
  "12345678", "123456789", "1234567890", "0123456789", "87654321", "987654321", "12341234", "11223344",
  "12121212", "123123123", "11111111", "00000000", "22222222", "55555555", "66666666", "88888888", "99999999",
  "qwertyui", "qwertyuiop", "qwerty12", "qwerty123", "1qaz2wsx", "qazwsxedc", "1q2w3e4r", "q1w2e3r4", "1q2w3e4r5t",
  "asdfghjk", "asdfghjkl", "zxcvbnm1", "zxcvbnma", "abcd1234", "abc12345", "aa123456", "12qwaszx", "a1b2c3d4",
  "iloveyou", "iloveyou1", "sunshine", "football", "baseball", "basketball", "princess", "superman", "starwars",
  "whatever", "trustno1", "letmein1", "letmeinnow", "welcome1", "welcome123", "changeme", "changeme1", "computer",
  "internet", "michelle", "jennifer", "shadow12", "monkey12", "dragon12", "master12", "freedom1", "mustang1",
  "liverpool", "chelsea1", "charlie1", "jordan23", "michael1", "samsung1", "loveyou1", "secret12", "default1",
]);

/**
 * Why `password` is refused, or undefined when it is acceptable. `email` is the account's: a password
 * that is the email, or its name part, is as good as none.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.trim() === "") return "the password is only spaces; use letters, digits or symbols";
  const lower = password.toLowerCase();
  if (new Set(lower).size === 1) return "the password repeats one character; choose one that is harder to guess";
  if (COMMON_PASSWORDS.has(lower)) return "this password is on the lists of the most common passwords that attackers try first; choose another";
  const mail = email?.trim().toLowerCase();
  if (mail && (lower === mail || lower === mail.split("@")[0])) return "the password must not be your email address";
  return undefined;
}
