import type { ReportSink, RunEnd, RunHeader, StreamRenderer } from '../report/index.js';
import type { FileReport } from '../report/model.js';
import { holdBack, openFileOutput, streamOutput, type HeldBack, type StreamLike, type TextOutput } from './output-file.js';

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
 * document assembled at the end (head, entries, tail), so memory stays flat either way.
 */
export async function openReportSink(renderer: StreamRenderer, destination: Destination): Promise<OpenedSink> {
  const output: TextOutput = 'file' in destination ? await openFileOutput(destination.file, destination.what) : streamOutput(destination.stream);
  let held: HeldBack | undefined;
  try {
    if (renderer.headNeedsTotals) held = await holdBack(destination.what);
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
    async file(entry: FileReport) {
      const text = renderer.entry(entry, header!);
      if (text !== '') await body.write(text);
    },
    async end(end: RunEnd) {
      if (held !== undefined) {
        await output.write(renderer.head(header!, end));
        await held.copyTo(output);
        held = undefined;
      }
      await output.write(renderer.tail(header!, end));
      await output.commit();
    },
    async abort() {
      await held?.discard();
      await output.abort();
    },
  };
}
