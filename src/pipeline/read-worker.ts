/**
 * The entry of a reader thread (bundled as dist/read-worker.js): it reads the ELF files it is
 * sent, several at once, and posts back each outcome with the request's id.
 */
import { parentPort } from 'node:worker_threads';
import { readElfFile } from './read-elf-file.js';

parentPort?.on('message', (request: { id: number; fsPath: string }) => {
  void readElfFile(request.fsPath).then((outcome) => parentPort!.postMessage({ id: request.id, outcome }));
});
