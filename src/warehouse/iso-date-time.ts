/**
 * Postgres's text form of a timestamp (`2024-05-01 12:00:00.123456+00`) as ISO-8601
 * (`2024-05-01T12:00:00.123456Z`): the API's DateTime serialization. A timestamp without zone stays
 * without one; an offset gets its minutes (`-03` is `-03:00`); UTC is `Z`. Here rather than in the
 * GraphQL layer because the warehouse worker writes rows as JSON text with it too (json-rows.ts).
 */
export function isoDateTime(text: string): string {
  const iso = text.replace(' ', 'T');
  const zone = /([+-])(\d{2})(?::?(\d{2}))?$/.exec(iso.slice(19));
  if (!zone) return iso;
  const base = iso.slice(0, 19 + zone.index);
  const offset = `${zone[1]}${zone[2]}:${zone[3] ?? '00'}`;
  return offset === '+00:00' || offset === '-00:00' ? `${base}Z` : `${base}${offset}`;
}
