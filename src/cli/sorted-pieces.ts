import { byKey, type SortedPiece } from '../report/index.js';
import { holdBack, type HeldBack, type TextOutput } from './output-file.js';

/**
 * How much piece text (keys included, in UTF-16 units) is sorted in memory before it is written
 * out as one sorted run: 1 Mi units (2 MB at most), so a run of any size sorts in bounded memory.
 */
export const SORT_RUN_CHARS = 1024 * 1024;

/**
 * SortedPieces orders a format's pieces across a whole run (SARIF's results) without holding
 * them: an external merge sort. Pieces gather in memory up to `runChars`, are sorted and written
 * to a temporary file (one line each, as JSON), and at the end the sorted runs are merged, one
 * piece of each in memory at a time. Equal keys keep the order they came in (the sort is stable
 * and an earlier run wins a tie), so the result is what one stable in-memory sort gives.
 */
export class SortedPieces {
  private pieces: SortedPiece[] = [];
  private chars = 0;
  private readonly runs: HeldBack[] = [];
  private readonly what: string;
  private readonly runChars: number;

  constructor(what: string, runChars = SORT_RUN_CHARS) {
    this.what = what;
    this.runChars = runChars;
  }

  async add(piece: SortedPiece): Promise<void> {
    this.pieces.push(piece);
    this.chars += piece.key.length + piece.text.length;
    if (this.chars >= this.runChars) await this.spill();
  }

  /** writeTo writes every piece in key order, joined by `separator`, then removes the temporary files. */
  async writeTo(output: TextOutput, separator: string): Promise<void> {
    if (this.runs.length === 0) {
      let first = true;
      for (const piece of this.pieces.sort(byKey)) {
        await output.write(first ? piece.text : separator + piece.text);
        first = false;
      }
      this.pieces = [];
      return;
    }
    if (this.pieces.length > 0) await this.spill();
    try {
      const readers = this.runs.map((run) => piecesOf(run.readBack()));
      const heads = await Promise.all(readers.map((reader) => reader.next()));
      let first = true;
      while (true) {
        let least = -1;
        for (let i = 0; i < heads.length; i++) {
          const head = heads[i]!;
          // Strictly less: on a tie the earlier run, which holds the earlier pieces, goes first.
          if (!head.done && (least < 0 || head.value.key < (heads[least] as IteratorYieldResult<SortedPiece>).value.key)) least = i;
        }
        if (least < 0) break;
        const { text } = (heads[least] as IteratorYieldResult<SortedPiece>).value;
        await output.write(first ? text : separator + text);
        first = false;
        heads[least] = await readers[least]!.next();
      }
    } finally {
      await this.discard();
    }
  }

  /** discard removes the temporary files (the run failed, or they are merged). */
  async discard(): Promise<void> {
    this.pieces = [];
    await Promise.all(this.runs.splice(0).map((run) => run.discard()));
  }

  private async spill(): Promise<void> {
    const run = await holdBack(this.what);
    this.runs.push(run);
    for (const piece of this.pieces.sort(byKey)) await run.write(`${JSON.stringify([piece.key, piece.text])}\n`);
    this.pieces = [];
    this.chars = 0;
  }
}

/** piecesOf reads a sorted run back, one piece per line. */
async function* piecesOf(chunks: AsyncIterable<string>): AsyncGenerator<SortedPiece> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let start = 0;
    for (let end = rest.indexOf('\n'); end >= 0; end = rest.indexOf('\n', start)) {
      const [key, text] = JSON.parse(rest.slice(start, end)) as [string, string];
      yield { key, text };
      start = end + 1;
    }
    rest = rest.slice(start);
  }
}
