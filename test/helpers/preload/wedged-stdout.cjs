// Preloaded (node --require) by test/cli/gate.test.ts: standard output takes no byte and never
// calls back, and nothing else keeps the process alive, so the run's promise can never settle.
const fs = require('node:fs');
const writeSync = fs.writeSync;
fs.writeSync = (fd, ...rest) => {
  if (fd === 1) throw Object.assign(new Error('resource temporarily unavailable'), { code: 'EAGAIN' });
  return writeSync(fd, ...rest);
};
process.stdout.write = () => true;
