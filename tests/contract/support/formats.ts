// Strings for the string formats the generator supports: well-formed ones, and near misses
// (the spellings where validators are known to differ) for the invalid side of the comparison.
import fc from "fast-check";

const HEX = "0123456789abcdefABCDEF".split("");
const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });

/** Any 8-4-4-4-12 hex string: RFC 4122's grammar names no version or variant. */
const anyUuid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join("-"));

const instants = fc.date({
  min: new Date("0001-01-01T00:00:00Z"),
  max: new Date("9999-12-31T23:59:59Z"),
  noInvalidDate: true,
});

/** `±hh:mm`, the offset RFC 3339 writes; `Z` is the one toISOString writes. */
const offsets = fc.oneof(
  fc.constant("Z"),
  fc
    .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(
      ([sign, hours, minutes]) =>
        `${sign}${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`,
    ),
);

const dateTimes = fc
  .tuple(instants, fc.constantFrom("", ".5", ".123", ".123456789"), offsets)
  .map(([instant, fraction, offset]) => `${instant.toISOString().slice(0, 19)}${fraction}${offset}`);

const VALID: Record<string, fc.Arbitrary<string>> = {
  email: fc.oneof(
    fc.emailAddress(),
    fc.constantFrom("maker@joxicrochet.shop", "first.last+tag@example.co.uk", "o'brien@example.org"),
  ),
  uuid: fc.oneof(fc.uuid(), anyUuid),
  "date-time": dateTimes,
  date: instants.map((instant) => instant.toISOString().slice(0, 10)),
  uri: fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.constantFrom(
      "mailto:maker@example.org",
      "urn:isbn:0451450523",
      "https://[::1]:8080/a?b=c#d",
      "ftp://x.io/y",
    ),
  ),
};

/** Spellings on the border of each format, valid or not, where implementations disagree. */
const NEAR_MISSES: Record<string, string[]> = {
  email: [
    "a@b",
    "a@b.c",
    "a@b.c1",
    "a..b@example.org",
    ".a@example.org",
    "a.@example.org",
    "a!b@example.org",
    "a b@example.org",
    '"a b"@example.org',
    "a@[127.0.0.1]",
    "a@-b.org",
    "a@b-.org",
    "a@b_c.org",
    "é@example.org",
    "a@exämple.org",
    "@example.org",
    "a@",
    "A@EXAMPLE.ORG",
  ],
  uuid: [
    "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
    "{123e4567-e89b-12d3-a456-426614174000}",
    "123e4567e89b12d3a456426614174000",
    "123e4567-e89b-02d3-a456-426614174000",
    "123e4567-e89b-12d3-c456-426614174000",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "123E4567-E89B-12D3-A456-426614174000",
    "123e4567-e89b-12d3-a456-42661417400g",
  ],
  "date-time": [
    "2020-01-01T00:00:00Z",
    "2020-01-01t00:00:00z",
    "2020-01-01 00:00:00Z",
    "2020-01-01T00:00Z",
    "2020-01-01T00:00:00",
    "2020-01-01T00:00:00+0100",
    "2020-01-01T00:00:00+01",
    "2020-01-01T00:00:00.Z",
    "2020-01-01T24:00:00Z",
    "2020-01-01T23:59:60Z",
    "2016-12-31T23:59:60Z",
    "2020-02-30T00:00:00Z",
    "2020-01-01T00:00:00+24:00",
    "2020-01-01T00:00:00-00:00",
    "+002020-01-01T00:00:00Z",
  ],
  date: [
    "2020-02-29",
    "2021-02-29",
    "1900-02-29",
    "2000-02-29",
    "2020-04-31",
    "2020-13-01",
    "2020-00-10",
    "2020-1-1",
    "20200101",
    "2020-01-01T00:00:00Z",
  ],
  uri: [
    " https://example.org",
    "https://example.org ",
    "https://exa mple.org",
    "//example.org/path",
    "example.org",
    "/relative/path",
    "http:/x",
    "a:",
    "1a:b",
    "http://[::1",
    "http://x/%zz",
    "http://例子.测试",
    "https://example.org/ü",
    "http://user:pw@example.org:99999/",
    "\thttps://example.org",
  ],
};

export function formatValue(format: string): fc.Arbitrary<string> {
  const valid = VALID[format];
  if (!valid) throw new Error(`no values for format '${format}'`);
  return valid;
}

/** Near misses and small edits of well-formed values: candidates for the invalid side. */
export function formatNearMiss(format: string): fc.Arbitrary<string> {
  const edited = fc
    .tuple(
      formatValue(format),
      fc.nat(),
      fc.constantFrom("", " ", "-", ":", ".", "@", "Z", "0", "é", "🧶", "\n"),
      fc.boolean(),
    )
    .map(([value, at, text, replace]) => {
      const index = at % (value.length + 1);
      return value.slice(0, index) + text + value.slice(index + (replace ? 1 : 0));
    });
  return fc.oneof(fc.constantFrom(...(NEAR_MISSES[format] ?? [""])), edited);
}
