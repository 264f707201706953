// unbzip2-stream ships no types: it exports one factory of a through-stream (Node Duplex).
declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  export default function unbzip2Stream(): Duplex;
}
