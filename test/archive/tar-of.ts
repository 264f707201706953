import { pack } from 'tar-stream';

/** A tar member to build: a file (bytes) or a link (linkname; a symlink unless type says `link`). */
export interface TarSpec {
  readonly name: string;
  readonly bytes?: Uint8Array;
  readonly linkname?: string;
  readonly type?: 'symlink' | 'link';
}

/** tarOf builds a tar of the given members with tar-stream's packer. */
export async function tarOf(members: readonly TarSpec[]): Promise<Uint8Array> {
  const packer = pack();
  const done = (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of packer) parts.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(parts));
  })();
  for (const member of members) {
    if (member.linkname !== undefined) packer.entry({ name: member.name, type: member.type ?? 'symlink', linkname: member.linkname });
    else packer.entry({ name: member.name, size: member.bytes!.length }, Buffer.from(member.bytes!));
  }
  packer.finalize();
  return done;
}
