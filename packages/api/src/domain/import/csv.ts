import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { TRPCError } from "@trpc/server";
import { ZodRealError } from "zod";
import { IMPORT_MAX_ROWS } from "../../routers/import/schemas.js";

// Reading an uploaded CSV: bytes -> text (BOM, UTF-16), the delimiter from the header line, then
// records streamed by csv-parse. Problems with the file as a whole are a 400 with a message for
// people (`formErrors`); problems with one row are that row's, reported by the caller.

export type Encoding = "utf-8" | "utf-16le" | "utf-16be";
export type Delimiter = "," | ";" | "\t";

/**
 * The request's input cannot be used (the file, the mapping, the upload id): a 400
 * VALIDATION_FAILED whose message says why, under `path` (none: the file as a whole, in
 * formErrors). A validation failure, not a domain outcome: a keyed request does not store it.
 */
export function invalidInput(message: string, path: string[] = []): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message, cause: new ZodRealError([{ code: "custom", message, path, input: undefined }]) });
}

/** The file cannot be imported at all. */
export const fileError = (message: string) => invalidInput(message);

/** The text of a file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM. Anything else is refused, not guessed. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b[0] === 0xff && b[1] === 0xfe) return withoutNul(new TextDecoder("utf-16le").decode(b.subarray(2)), "utf-16le");
  if (b[0] === 0xfe && b[1] === 0xff) return withoutNul(new TextDecoder("utf-16be").decode(b.subarray(2)), "utf-16be");
  const body = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw fileError("The file is not UTF-8 text (save it as CSV UTF-8, or UTF-16 with a byte order mark)");
  }
  return withoutNul(text, "utf-8");
}

/**
 * Postgres text and jsonb cannot hold U+0000 (headers and keys end up in both), and a text file has
 * none: UTF-16 without a BOM, or a binary file, has many. (Lone surrogates cannot occur: decoding
 * UTF-8 is strict and UTF-16 decoding replaces them.)
 */
function withoutNul(text: string, encoding: Encoding): { text: string; encoding: Encoding } {
  if (text.includes("\u0000")) throw fileError("The file contains NUL characters: it is not a text file (or UTF-16 without a byte order mark)");
  return { text, encoding };
}

/** The header line (up to the first line break outside quotes is not needed: headers rarely hold one). */
function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/** The delimiter among `,` `;` tab that occurs most often in the header line (ties: the comma). */
export function detectDelimiter(text: string): Delimiter {
  const line = firstLine(text);
  const counts = ([",", ";", "\t"] as const).map((d) => [d, line.split(d).length - 1] as const);
  const best = counts.reduce((a, c) => (c[1] > a[1] ? c : a));
  return best[1] === 0 ? "," : best[0];
}

export interface CsvRow {
  /** The line the record starts on (1 = the header), as a text editor counts lines. */
  line: number;
  cells: string[];
}

/**
 * The records after the header, streamed (csv-parse pulls the text in 64 KB slices). A row of
 * only empty cells (a spreadsheet's trailing `,,,`, a blank line) is no row. Ragged rows come
 * through as they are: the caller reports them. A file csv-parse cannot read (an unclosed quote)
 * fails with the line it happened on.
 */
export async function* csvRecords(text: string, delimiter: Delimiter): AsyncGenerator<CsvRow> {
  const chunks = function* () {
    for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
  };
  const parser = Readable.from(chunks()).pipe(
    parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  // Lines counted here, not by csv-parse (it counts a CRLF inside a quoted cell as two): a record
  // spans one line plus the line breaks inside its cells.
  let line = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      yield { line, cells: record };
      line += 1 + record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    }
  } catch (error) {
    const e = error as { code?: unknown; lines?: unknown; message?: unknown };
    if (typeof e.code === "string" && e.code.startsWith("CSV_")) {
      throw fileError(`The file cannot be read as CSV near line ${typeof e.lines === "number" ? e.lines : line}: ${String(e.message).split(":")[0]}`);
    }
    throw error;
  }
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === "");

export interface CsvFile {
  encoding: Encoding;
  delimiter: Delimiter;
  headers: string[];
  /** The data rows, streamed; iterate once. */
  rows: AsyncGenerator<CsvRow>;
}

/**
 * Opens a CSV for import: decodes it, reads its header row and checks it (not empty, no header
 * named twice). Headers are trimmed; an empty one is called "column N".
 */
export async function openCsv(bytes: Uint8Array): Promise<CsvFile> {
  const { text, encoding } = decodeCsv(bytes);
  if (text.trim() === "") throw fileError("The file is empty");
  const delimiter = detectDelimiter(text);
  const records = csvRecords(text, delimiter);
  let first = await records.next();
  while (!first.done && blank(first.value.cells)) first = await records.next();
  if (first.done) throw fileError("The file is empty");
  const headers = first.value.cells.map((h, i) => h.trim() || `column ${i + 1}`);
  const seen = new Map<string, number>();
  for (const [i, h] of headers.entries()) {
    const k = h.toLowerCase();
    const before = seen.get(k);
    if (before !== undefined) throw fileError(`The column "${h}" appears twice (columns ${before + 1} and ${i + 1}); rename one of them`);
    seen.set(k, i);
  }
  async function* rows() {
    let count = 0;
    for await (const row of records) {
      if (blank(row.cells)) continue;
      if (++count > IMPORT_MAX_ROWS) throw fileError(`The file has more than ${IMPORT_MAX_ROWS.toLocaleString("en-US")} rows`);
      yield row;
    }
  }
  return { encoding, delimiter, headers, rows: rows() };
}
