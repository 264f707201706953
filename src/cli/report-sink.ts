import type { ReportSink, RunEnd, RunHeader, StreamRenderer } from '../report/index.js';
import type { FileReport } from '../report/model.js';
import { holdBack, openFileOutput, streamOutput, type HeldBack, type StreamLike, type TextOutput } from './output-file.js';
import { SortedPieces } from './sorted-pieces.js';

/** An opened report destination: a sink that can also be given up (the run failed or was cut short). */
export interface OpenedSink extends ReportSink {
  abort(): Promise<void>;
}

/** Where one report goes: a file (`--output`, `--report`), or a stream (standard output). */
export type Destination = { readonly file: string; readonly what: string } | { readonly stream: StreamLike; readonly what: string };

/**
 * openReportSink opens a destination for one format's report before any input is read, so an
 * unwritable one is a usage error up front. Entries are rendered and written as they come; a
 * format whose head needs the totals has its entries held back in a temporary file and the
 * document assembled at the end (head, entries, tail), so memory stays flat either way. A format
 * whose pieces are sorted across the run (SARIF) has them sorted in temporary files as they come.
 */
export async function openReportSink(renderer: StreamRenderer, destination: Destination): Promise<OpenedSink> {
  const output: TextOutput = 'file' in destination ? await openFileOutput(destination.file, destination.what) : streamOutput(destination.stream);
  let held: HeldBack | undefined;
  const sorted = renderer.sorted;
  const sorter = sorted === undefined ? undefined : new SortedPieces(destination.what);
  try {
    if (renderer.headNeedsTotals && sorter === undefined) held = await holdBack(destination.what);
  } catch (error) {
    await output.abort();
    throw error;
  }
  let header: RunHeader | undefined;
  const body = held ?? output;
  return {
    async begin(run) {
      header = run;
      if (!renderer.headNeedsTotals) await output.write(renderer.head(run, undefined));
    },
    async file(entry: FileReport, fileMs?: number) {
      if (sorted !== undefined && sorter !== undefined) {
        for (const piece of sorted.pieces(entry, header!)) await sorter.add(piece);
        return;
      }
      const text = renderer.entry(entry, header!, fileMs);
      if (text !== '') await body.write(text);
    },
    async end(end: RunEnd) {
      if (sorted !== undefined && sorter !== undefined) {
        await output.write(renderer.head(header!, end));
        await sorter.writeTo(output, sorted.separator);
      } else if (held !== undefined) {
        await output.write(renderer.head(header!, end));
        await held.copyTo(output);
        held = undefined;
      }
      await output.write(renderer.tail(header!, end));
      await output.commit();
    },
    async abort() {
      await held?.discard();
      await sorter?.discard();
      await output.abort();
    },
  };
}
