/**
 * A feature's messages in both languages. Russian is the source: English must have exactly the same
 * keys, which the type checker enforces. Each feature keeps its own module in messages/.
 */
export function defineMessages<const R extends Record<string, string>>(m: {
  ru: R;
  en: { [K in keyof R]: string };
}) {
  return m;
}
