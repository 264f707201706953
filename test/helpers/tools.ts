import { execFileSync } from 'node:child_process';

/**
 * toolAvailable says whether a reference tool (binutils' readelf or nm) runs here. Comparisons with
 * it run where it is installed, as on this project's build machine; elsewhere they are skipped.
 */
export function toolAvailable(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
