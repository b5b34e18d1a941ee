/**
 * Masks secrets in text that leaves the process: tool results, errors, resources, logs, doctor output and
 * config errors. Band's own words can carry a key (an error message that echoes it), so results are masked
 * too, not only logs.
 */
export type Redact = (text: string) => string;

/** `scheme://user:password@host`: the password part, in any URL in a text. */
const URL_PASSWORD = /(\/\/[^\s/@:]*):[^\s/@]*@/g;

/** Masks each known secret (as written, and as JSON escapes it) and every URL password. */
export function secretRedactor(secrets: readonly string[]): Redact {
  const known = [...new Set(secrets.filter((s) => s.length >= 4).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  return (text) => {
    let out = text;
    for (const secret of known) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out.includes("@") ? out.replace(URL_PASSWORD, "$1:[redacted]@") : out;
  };
}

/**
 * Masks every known secret, and in logs also anything shaped like a Band key (results may carry a key on
 * purpose: band_me_register_agent returns the new agent's).
 */
export function redactor(secrets: readonly string[]): Redact {
  const known = secretRedactor(secrets);
  // Key-shaped: a prefix, an optional kind, then one long random run (tool names have short, underscored words).
  return (text) => known(text).replace(/\b(band|thnv)_([au]_)?[A-Za-z0-9]{16,}/g, "$1_$2[redacted]");
}

/** The password of a URL setting, as written and decoded, so a log or result that repeats it is masked too. */
export function urlPasswords(url: string | undefined): string[] {
  if (url === undefined || !URL.canParse(url)) return [];
  const { password } = new URL(url);
  if (password === "") return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape: the written form is what appears in text anyway.
  }
  return [password, decoded];
}

/**
 * A structured result with its secrets masked. Serialised once (the result's text needs it anyway); parsed
 * back only when something was masked, so the common case costs one pass over the text.
 */
export function redactJson<T>(value: T, redact: Redact): { text: string; value: T } {
  const text = JSON.stringify(value);
  const clean = redact(text);
  return clean === text ? { text, value } : { text: clean, value: JSON.parse(clean) as T };
}
