import { readSmallBlob, type BlobStore } from './blob-store.js';
import type { ImageLocation } from './detect.js';
import { normalizeEntryName } from './entry-path.js';
import { ImageError } from './image-error.js';
import { formatPlatform, platformMatches, type Platform } from './platform.js';

/** A layer to apply, by the name of its blob in the store. */
export interface LayerRef {
  readonly name: string;
  readonly mediaType?: string;
}

/** The image a scan reads: its layers in order (lowest first), its platform, and notes for the user. */
export interface ResolvedImage {
  readonly layers: readonly LayerRef[];
  readonly platform?: Platform;
  readonly notes: readonly string[];
}

/** Manifests, indexes and configs are a few KiB; refuse anything absurd before parsing it. */
const MAX_JSON = 4 << 20;
const MAX_DESCRIPTORS = 4096;
const MAX_INDEX_DEPTH = 4;

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

interface Candidate {
  readonly label: string;
  readonly platform: Platform | undefined;
  readonly layers: () => Promise<LayerRef[]>;
}

/**
 * resolveImage finds the layers of the image stored at `location`, choosing one manifest when
 * the image holds several: the one matching `wanted` (`--platform`), else the only one, else the
 * host's (with a note). Throws ImageError when a manifest is missing or malformed, or no platform fits.
 */
export async function resolveImage(location: ImageLocation, wanted: Platform | undefined, host: Platform): Promise<ResolvedImage> {
  const candidates =
    location.format === 'docker-archive' ? await dockerCandidates(location.store) : await ociCandidates(location.store, 'index.json', 0);
  if (candidates.length === 0) throw new ImageError('the image lists no manifest');
  const { chosen, notes } = choose(candidates, wanted, host);
  const layers = await chosen.layers();
  return chosen.platform === undefined ? { layers, notes } : { layers, platform: chosen.platform, notes };
}

function choose(candidates: readonly Candidate[], wanted: Platform | undefined, host: Platform): { chosen: Candidate; notes: string[] } {
  const names = [...new Set(candidates.map((candidate) => describe(candidate.platform)))];
  if (wanted !== undefined) {
    const chosen = candidates.find((candidate) => candidate.platform !== undefined && platformMatches(candidate.platform, wanted));
    if (chosen === undefined) throw new ImageError(`no ${formatPlatform(wanted)} image in it (it has ${names.join(', ')})`);
    return { chosen, notes: [] };
  }
  const first = candidates[0]!;
  if (candidates.length === 1) return { chosen: first, notes: [] };
  if (names.length === 1) return { chosen: first, notes: [`it holds ${candidates.length} images of one platform; reading the first (${first.label})`] };
  const chosen = candidates.find((candidate) => candidate.platform !== undefined && platformMatches(candidate.platform, host));
  if (chosen === undefined) {
    throw new ImageError(`it holds several platforms (${names.join(', ')}) and none is this host's (${formatPlatform(host)}): choose one with --platform`);
  }
  return { chosen, notes: [`it holds several platforms (${names.join(', ')}); checking ${formatPlatform(host)}, this host's: choose another with --platform`] };
}

function describe(platform: Platform | undefined): string {
  return platform === undefined ? 'unknown platform' : formatPlatform(platform);
}

async function readJson(store: BlobStore, name: string): Promise<unknown> {
  const bytes = await readSmallBlob(store, name, MAX_JSON);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new ImageError(`${name} is not valid JSON`);
  }
}

/** blobName maps a content digest (`sha256:ab12...`) to its file in an OCI layout, refusing odd digests. */
export function blobName(digest: unknown): string {
  if (typeof digest !== 'string' || !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) {
    throw new ImageError(`invalid digest ${JSON.stringify(digest)}`);
  }
  const [algorithm, encoded] = digest.split(':') as [string, string];
  return `blobs/${algorithm}/${encoded}`;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImageError(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ImageError(`${what} is not a JSON array`);
  if (value.length > MAX_DESCRIPTORS) throw new ImageError(`${what} has ${value.length} entries, more than ${MAX_DESCRIPTORS}`);
  return value;
}

function platformOf(value: unknown): Platform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return typeof variant === 'string' && variant !== '' ? { os, architecture, variant } : { os, architecture };
}

async function ociCandidates(store: BlobStore, name: string, depth: number): Promise<Candidate[]> {
  if (depth > MAX_INDEX_DEPTH) throw new ImageError(`image indexes nest deeper than ${MAX_INDEX_DEPTH}`);
  const index = record(await readJson(store, name), name);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  for (const item of list(index.manifests, `${name} "manifests"`)) {
    const descriptor = record(item, `a descriptor in ${name}`);
    const blob = blobName(descriptor.digest);
    if (seen.has(blob)) continue;
    seen.add(blob);
    if (typeof descriptor.mediaType === 'string' && INDEX_TYPES.has(descriptor.mediaType)) {
      candidates.push(...(await ociCandidates(store, blob, depth + 1)));
      continue;
    }
    let platform = platformOf(descriptor.platform);
    // BuildKit's attestation manifests say unknown/unknown: they carry no filesystem to check.
    if (platform?.os === 'unknown' && platform.architecture === 'unknown') continue;
    const manifest = record(await readJson(store, blob), blob);
    if (platform === undefined) {
      const config = record(manifest.config, `${blob} "config"`);
      platform = platformOf(await readJson(store, blobName(config.digest)));
    }
    const annotations = descriptor.annotations as Record<string, unknown> | undefined;
    const ref = annotations?.['org.opencontainers.image.ref.name'];
    candidates.push({
      label: typeof ref === 'string' ? ref : String(descriptor.digest),
      platform,
      layers: () =>
        Promise.resolve(
          list(manifest.layers, `${blob} "layers"`).map((layer) => {
            const fields = record(layer, `a layer of ${blob}`);
            return { name: blobName(fields.digest), ...(typeof fields.mediaType === 'string' ? { mediaType: fields.mediaType } : {}) };
          }),
        ),
    });
  }
  return candidates;
}

async function dockerCandidates(store: BlobStore): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const item of list(await readJson(store, 'manifest.json'), 'manifest.json')) {
    const entry = record(item, 'an entry of manifest.json');
    if (typeof entry.Config !== 'string') throw new ImageError('an entry of manifest.json has no "Config"');
    const platform = platformOf(await readJson(store, checkedName(entry.Config)));
    const tags = Array.isArray(entry.RepoTags) ? entry.RepoTags.filter((tag): tag is string => typeof tag === 'string') : [];
    const layers = list(entry.Layers, 'manifest.json "Layers"').map((layer) => ({ name: checkedName(layer) }));
    candidates.push({ label: tags[0] ?? entry.Config, platform, layers: () => Promise.resolve(layers) });
  }
  return candidates;
}

/** checkedName accepts a member name from manifest.json only when it stays inside the archive as written. */
function checkedName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.startsWith('/') || name.split('/').includes('..')) {
    throw new ImageError(`manifest.json names a file outside the archive: ${JSON.stringify(name)}`);
  }
  return normalizeEntryName(name);
}
