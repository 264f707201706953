import { describe, expect, test } from 'vitest';
import { loaderFindings, parseX86Level, x86LevelName, type LoaderTarget } from '../../src/check/loader-rules.js';

const debian12: LoaderTarget = { name: 'debian-12', glibc: [2, 36] };
const debian13: LoaderTarget = { name: 'debian-13', glibc: [2, 41] };
const rhel9: LoaderTarget = { name: 'rhel-9', glibc: [2, 34], x86Level: 2 };
const rhel10: LoaderTarget = { name: 'rhel-10', glibc: [2, 39], x86Level: 3 };
const library = { type: 'DYN', interpreter: null, machine: 'x86_64' };
const program = { type: 'DYN', interpreter: '/lib64/ld-linux-x86-64.so.2', machine: 'x86_64' };

describe('executable stack', () => {
  test('a shared object asking for one fails glibc >= 2.41 targets only', () => {
    const [finding] = loaderFindings({ ...library, stack: 'executable' }, [debian12, debian13]);
    expect(finding?.code).toBe('exec-stack-dlopen');
    expect(finding?.failsOn).toEqual(['debian-13']);
    expect(finding?.message).toContain('cannot enable executable stack as shared object requires: Invalid argument');
    expect(loaderFindings({ ...library, stack: 'executable' }, [debian12])[0]?.failsOn).toEqual([]);
  });

  test('no PT_GNU_STACK on a machine whose default stack is executable counts too', () => {
    expect(loaderFindings({ ...library, stack: 'default-executable' }, [debian13])[0]?.message).toContain('no PT_GNU_STACK');
  });

  test('a program is a note; an object without .note.GNU-stack is a note; a plain library nothing', () => {
    expect(loaderFindings({ ...program, stack: 'executable' }, [debian13]).map((f) => [f.code, f.failsOn])).toEqual([['exec-stack-program', []]]);
    expect(loaderFindings({ type: 'REL', interpreter: null, machine: 'x86_64', stack: 'default-executable' }, [debian13]).map((f) => [f.code, f.failsOn])).toEqual([['exec-stack-object', []]]);
    expect(loaderFindings({ ...library, stack: 'not-executable' }, [debian13])).toEqual([]);
  });
});

describe('x86-64 ISA level', () => {
  test('v3 code fails a v2 baseline, passes a v3 one; used counts like needed', () => {
    const findings = loaderFindings({ ...library, x86Isa: { needed: 0, used: 0b101 } }, [rhel9, rhel10, { name: '--cpu-level', x86Level: 2 }]);
    expect(findings.map((f) => [f.code, f.failsOn])).toEqual([['isa-level', ['rhel-9', '--cpu-level']]]);
    expect(findings[0]?.message).toMatch(/^needs x86-64-v3 \(GNU_PROPERTY_X86_ISA_1_USED\)/);
  });

  test('targets without a known CPU baseline are not judged', () => {
    expect(loaderFindings({ ...library, x86Isa: { needed: 0b1000, used: 0 } }, [debian13])).toEqual([]);
  });

  test('level names', () => {
    expect([1, 2, 3, 4].map(x86LevelName)).toEqual(['x86-64', 'x86-64-v2', 'x86-64-v3', 'x86-64-v4']);
    expect(['x86-64-v2', 'v3', 'baseline', 'x86-64-v5', 'sse4'].map(parseX86Level)).toEqual([2, 3, 1, undefined, undefined]);
  });
});
