import { Readable, Writable } from "node:stream";
import { type Db, jobArtifactChunks } from "@trellis/db";
import { and, asc, eq, gt } from "drizzle-orm";

/** Bytes per stored chunk: few rows per file, and never more than this (plus one write) in memory. */
export const ARTIFACT_CHUNK_BYTES = 256 * 1024;

/** Deletes an artifact's chunks: an attempt that starts over (a retry, a crash) begins with none. */
export async function discardArtifact(db: Db, jobId: string, name: string): Promise<void> {
  await db.delete(jobArtifactChunks).where(and(eq(jobArtifactChunks.jobId, jobId), eq(jobArtifactChunks.name, name)));
}

/**
 * A job's file, written as it streams: bytes collect until a chunk is full, then go to
 * job_artifact_chunks as one row (seq 0, 1, …). The write callback waits for that insert, so a
 * fast producer is held back (backpressure) and memory stays at about two chunks.
 */
export class ArtifactWriter extends Writable {
  /** Bytes written so far (all of the file once the stream has finished). */
  sizeBytes = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #seq = 0;

  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly name: string,
    private readonly chunkBytes = ARTIFACT_CHUNK_BYTES,
  ) {
    // Up to one more chunk is taken while a chunk's insert runs: the producer keeps going.
    super({ highWaterMark: chunkBytes });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.sizeBytes += chunk.length;
    if (this.#pendingBytes < this.chunkBytes) return callback();
    this.#flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#flush().then(() => callback(), callback);
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const bytes = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.db.insert(jobArtifactChunks).values({ jobId: this.jobId, name: this.name, seq: this.#seq++, bytes });
  }
}

/**
 * An artifact's bytes as a stream, one chunk row per read (by seq): serving a file of any size
 * holds one chunk in memory, and a client that stops reading stops the queries.
 */
export function readArtifact(db: Db, jobId: string, name: string): Readable {
  async function* chunks() {
    let after = -1;
    for (;;) {
      const [row] = await db
        .select({ seq: jobArtifactChunks.seq, bytes: jobArtifactChunks.bytes })
        .from(jobArtifactChunks)
        .where(and(eq(jobArtifactChunks.jobId, jobId), eq(jobArtifactChunks.name, name), gt(jobArtifactChunks.seq, after)))
        .orderBy(asc(jobArtifactChunks.seq))
        .limit(1);
      if (!row) return;
      after = row.seq;
      yield row.bytes;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
