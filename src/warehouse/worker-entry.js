// Entry point of the warehouse worker thread. A compiled build has worker.js next to this file; a
// checkout running TypeScript (jest, tsx) has only worker.ts, loaded through tsx's require hook.
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, 'worker.js');
if (fs.existsSync(compiled)) {
  require(compiled);
} else {
  require('tsx/cjs');
  require(path.join(__dirname, 'worker.ts'));
}
