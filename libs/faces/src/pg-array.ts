const PLAIN = /^[A-Za-z0-9._-]+$/;

/**
 * A Postgres array literal for ids and numbers, bound as one parameter (`?::uuid[]`): the query
 * builder would otherwise expand a JS array into a list of parameters. Anything that would need
 * quoting is refused rather than escaped.
 */
export function pgArray(values: readonly (string | number)[]): string {
  const items = values.map((v) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
      return String(v);
    }
    if (!PLAIN.test(v)) throw new Error(`not a plain id: ${JSON.stringify(v)}`);
    return v;
  });
  return `{${items.join(',')}}`;
}
