// citation.js as a client of annobib's exports (tests/clients/test_clients_keep_values.py).
// usage: node citationjs.js MODULES_DIR read FORMAT FILE   -> CSL-JSON of what it read
//        node citationjs.js MODULES_DIR write FORMAT FILE  -> FILE (CSL-JSON) written as FORMAT
// FORMAT: bibtex | biblatex | ris. Needs @citation-js/core, plugin-bibtex, plugin-ris,
// plugin-csl under MODULES_DIR/node_modules (.ci/run installs them).
'use strict'
const path = require('path')
const fs = require('fs')
const [dir, mode, format, file] = process.argv.slice(2)
const need = (name) => require(path.join(dir, 'node_modules', name))
const { Cite } = need('@citation-js/core')
need('@citation-js/plugin-bibtex')
need('@citation-js/plugin-ris')
need('@citation-js/plugin-csl')
const text = fs.readFileSync(file, 'utf8')
if (mode === 'read') {
  const type = { bibtex: '@bibtex/text', biblatex: '@biblatex/text', ris: '@ris/file' }[format]
  const cite = new Cite(text, { forceType: type })
  process.stdout.write(JSON.stringify(cite.data))
} else {
  const cite = new Cite(JSON.parse(text))
  const out = format === 'ris' ? cite.format('ris', { format: 'text' })
    : cite.format(format, { format: 'text' })
  process.stdout.write(out)
}
