#!/usr/bin/env node
/**
 * Generates static TypeScript codecs from the project's own .proto files (src/tfplugin/proto) into
 * src/tfplugin/generated — `npm run proto`. A small proto3 subset is enough (messages, nested types,
 * enums, scalar string/bytes/bool/int64/uint32, repeated messages, map<string, …>, oneof, optional,
 * services); anything else is refused so the generator never silently mis-encodes.
 * Nested names are joined with "_" (Schema.Object -> Schema_Object), so no generated name shadows a global.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const protoDir = path.join(root, 'src/tfplugin/proto');
const outDir = path.join(root, 'src/tfplugin/generated');

// `set` is the truthiness test proto3 uses to skip default values on the wire.
const SCALARS = {
  string: { ts: 'string', wire: 2, def: "''", io: 'string', set: (v) => v },
  bytes: { ts: 'Uint8Array', wire: 2, def: 'EMPTY_BYTES', io: 'bytes', set: (v) => `${v} && ${v}.length` },
  bool: { ts: 'boolean', wire: 0, def: 'false', io: 'bool', set: (v) => v },
  int64: { ts: 'number', wire: 0, def: '0', io: 'varint', set: (v) => v },
  uint32: { ts: 'number', wire: 0, def: '0', io: 'varint', set: (v) => v },
};
const ENUM = { wire: 0, def: '0', io: 'varint', set: (v) => v };

// ---- parsing -------------------------------------------------------------------------------------

function tokenize(text, file) {
  const tokens = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*|\d+|[{}();=<>,[\]]/y;
  let m;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    m = re.exec(text);
    if (!m) throw new Error(`${file}: unexpected character at offset ${at}`);
    if (!/^(\s|\/\/|\/\*)/.test(m[0])) tokens.push(m[0]);
  }
  return tokens;
}

function parse(file) {
  const t = tokenize(fs.readFileSync(file, 'utf8'), path.basename(file));
  let i = 0;
  const peek = () => t[i];
  const next = () => {
    if (i >= t.length) throw new Error(`${file}: unexpected end`);
    return t[i++];
  };
  const expect = (tok) => {
    const got = next();
    if (got !== tok) throw new Error(`${file}: expected '${tok}', got '${got}' (token ${i})`);
  };
  const skipOptions = () => {
    if (peek() !== '[') return;
    while (next() !== ']');
  };
  const unsupported = (what) => {
    throw new Error(`${file}: unsupported proto feature: ${what}`);
  };

  function parseEnum() {
    const name = next();
    expect('{');
    const values = [];
    while (peek() !== '}') {
      const v = next();
      expect('=');
      values.push({ name: v, number: Number(next()) });
      skipOptions();
      expect(';');
    }
    expect('}');
    return { kind: 'enum', name, values };
  }

  function parseField(label, oneof, type = next()) {
    const name = next();
    expect('=');
    const number = Number(next());
    skipOptions();
    expect(';');
    return { name, number, type, label, oneof };
  }

  function parseMessage() {
    const name = next();
    expect('{');
    const msg = { kind: 'message', name, fields: [], nested: [] };
    while (peek() !== '}') {
      const tok = next();
      if (tok === 'message') msg.nested.push(parseMessage());
      else if (tok === 'enum') msg.nested.push(parseEnum());
      else if (tok === 'oneof') {
        const group = next();
        expect('{');
        while (peek() !== '}') msg.fields.push(parseField('oneof', group));
        expect('}');
      } else if (tok === 'map') {
        expect('<');
        const key = next();
        expect(',');
        const value = next();
        expect('>');
        if (key !== 'string') unsupported(`map key ${key}`);
        msg.fields.push(parseField('map', undefined, value));
      } else if (tok === 'repeated' || tok === 'optional') msg.fields.push(parseField(tok, undefined));
      else if (tok === 'reserved' || tok === 'extensions' || tok === 'option') unsupported(tok);
      else {
        i--;
        msg.fields.push(parseField('single', undefined));
      }
    }
    expect('}');
    return msg;
  }

  function parseService() {
    const name = next();
    expect('{');
    const methods = [];
    while (peek() !== '}') {
      expect('rpc');
      const mname = next();
      expect('(');
      const clientStream = peek() === 'stream' && !!next();
      const req = next();
      expect(')');
      expect('returns');
      expect('(');
      const serverStream = peek() === 'stream' && !!next();
      const res = next();
      expect(')');
      expect(';');
      methods.push({ name: mname, req, res, clientStream, serverStream });
    }
    expect('}');
    return { name, methods };
  }

  const out = { pkg: '', types: [], services: [] };
  while (i < t.length) {
    const tok = next();
    if (tok === 'syntax') {
      expect('=');
      if (next() !== '"proto3"') unsupported('syntax other than proto3');
      expect(';');
    } else if (tok === 'package') {
      out.pkg = next();
      expect(';');
    } else if (tok === 'message') out.types.push(parseMessage());
    else if (tok === 'enum') out.types.push(parseEnum());
    else if (tok === 'service') out.services.push(parseService());
    else unsupported(tok);
  }
  return out;
}

// ---- resolution ----------------------------------------------------------------------------------

// Top-level TS names that would shadow a JavaScript global in the generated module get a trailing "_".
const GLOBALS = new Set(['Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'Map', 'Set', 'Error', 'Date', 'Promise']);

/** Flattens nested declarations; each gets its proto scope path and its TS name (joined by "_"). */
function flatten(types, scope, into) {
  for (const ty of types) {
    const full = [...scope, ty.name];
    const joined = full.join('_');
    into.set(full.join('.'), { ...ty, scope: full, tsName: GLOBALS.has(joined) ? `${joined}_` : joined });
    if (ty.kind === 'message') flatten(ty.nested, full, into);
  }
  return into;
}

function resolve(all, scope, ref) {
  // Protobuf scoping: look the name up from the innermost enclosing scope outwards.
  for (let n = scope.length; n >= 0; n--) {
    const candidate = [...scope.slice(0, n), ref].join('.');
    if (all.has(candidate)) return all.get(candidate);
  }
  throw new Error(`cannot resolve type ${ref} from ${scope.join('.')}`);
}

// ---- emitting ------------------------------------------------------------------------------------

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase());

function emitEnum(e) {
  const body = e.values.map((v) => `  ${v.name}: ${v.number},`).join('\n');
  return `export const ${e.tsName} = {\n${body}\n} as const;\nexport type ${e.tsName} = (typeof ${e.tsName})[keyof typeof ${e.tsName}];\n`;
}

function emitMessage(m, all) {
  const fields = m.fields.map((f) => {
    const target = SCALARS[f.type] ? undefined : resolve(all, m.scope, f.type);
    const isMsg = !!target && target.kind === 'message';
    if (isMsg && f.label === 'optional') throw new Error(`optional message field ${m.tsName}.${f.name}`);
    if (!isMsg && f.label === 'repeated') throw new Error(`repeated scalar ${m.tsName}.${f.name} (packed) is not supported`);
    const codec = isMsg ? undefined : (SCALARS[f.type] ?? ENUM);
    const ts = target ? target.tsName : codec.ts;
    const write = (x) => (isMsg ? `message(${ts}, ${x})` : `${codec.io}(${x})`);
    const read = isMsg ? `r.message(${ts})` : `r.${codec.io}()${target ? ` as ${ts}` : ''}`;
    const tag = f.number * 8 + (isMsg || f.label === 'map' ? 2 : codec.wire);
    return { ...f, prop: camel(f.name), isMsg, codec, ts, write, read, tag };
  });

  const iface = [];
  const enc = [];
  const dec = [];
  const defaults = [];
  for (const f of fields) {
    const v = `m.${f.prop}`;
    if (f.label === 'repeated') {
      iface.push(`  ${f.prop}: ${f.ts}[];`);
      enc.push(`for (const x of ${v} ?? []) w.varint(${f.tag}).${f.write('x')};`);
      dec.push(`case ${f.number}: m.${f.prop}.push(${f.read}); break;`);
      defaults.push(`${f.prop}: []`);
    } else if (f.label === 'map') {
      // Each entry is a nested message: key = field 1, value = field 2.
      const valueTag = 16 + (f.isMsg ? 2 : f.codec.wire);
      const missing = f.isMsg ? `${f.ts}.decode(r, r.pos)` : f.codec.def;
      iface.push(`  ${f.prop}: Record<string, ${f.ts}>;`);
      enc.push(
        `for (const [k, x] of Object.entries(${v} ?? {})) { if (x === undefined) continue; const e = new ProtoWriter(); e.varint(10).string(k); e.varint(${valueTag}).${f.write('x')}; w.varint(${f.tag}).bytes(e.finish()); }`,
      );
      dec.push(
        `case ${f.number}: { const stop = r.varint() + r.pos; let k = ''; let x: ${f.ts} | undefined; while (r.pos < stop) { const t = r.varint(); if (t === 10) k = r.string(); else if (t === ${valueTag}) x = ${f.read}; else r.skip(t & 7); } m.${f.prop}[k] = x ?? ${missing}; break; }`,
      );
      defaults.push(`${f.prop}: Object.create(null) as Record<string, ${f.ts}>`);
    } else if (f.label === 'oneof' || f.label === 'optional' || f.isMsg) {
      // Explicit presence: written whenever defined, absent when undefined.
      iface.push(`  ${f.prop}?: ${f.ts};`);
      enc.push(`if (${v} !== undefined) w.varint(${f.tag}).${f.write(v)};`);
      const siblings = f.label === 'oneof' ? fields.filter((o) => o.oneof === f.oneof && o !== f) : [];
      dec.push(`case ${f.number}: ${siblings.map((o) => `delete m.${o.prop}; `).join('')}m.${f.prop} = ${f.read}; break;`);
    } else {
      iface.push(`  ${f.prop}: ${f.ts};`);
      enc.push(`if (${f.codec.set(v)}) w.varint(${f.tag}).${f.write(v)};`);
      dec.push(`case ${f.number}: m.${f.prop} = ${f.read}; break;`);
      defaults.push(`${f.prop}: ${f.codec.def}`);
    }
  }
  const encoder = enc.length ? `  encode(m, w) {\n    ${enc.join('\n    ')}\n  },` : '  encode() {},';
  return [
    `export interface ${m.tsName} {${iface.length ? `\n${iface.join('\n')}\n` : ''}}`,
    `export const ${m.tsName}: MessageCodec<${m.tsName}> = {`,
    encoder,
    `  decode(r, end) {`,
    `    const m: ${m.tsName} = ${defaults.length ? `{ ${defaults.join(', ')} }` : '{}'};`,
    `    while (r.pos < end) {`,
    `      const tag = r.varint();`,
    `      switch (tag >>> 3) {`,
    ...dec.map((d) => `        ${d}`),
    `        default: r.skip(tag & 7);`,
    `      }`,
    `    }`,
    `    return m;`,
    `  },`,
    `};`,
    '',
  ].join('\n');
}

function emitService(pkg, s, all) {
  const lines = s.methods.map((mt) => {
    const req = resolve(all, [], mt.req).tsName;
    const res = resolve(all, [], mt.res).tsName;
    return `  ${mt.name}: { path: '/${pkg}.${s.name}/${mt.name}', request: ${req}, response: ${res}, clientStream: ${mt.clientStream}, serverStream: ${mt.serverStream} },`;
  });
  return `export const ${s.name}Service = {\n${lines.join('\n')}\n} as const;\n`;
}

function generate(file) {
  const ast = parse(file);
  const all = flatten(ast.types, [], new Map());
  const hasMap = [...all.values()].some((ty) => ty.kind === 'message' && ty.fields.some((f) => f.label === 'map'));
  const body = [];
  for (const ty of all.values()) body.push(ty.kind === 'enum' ? emitEnum(ty) : emitMessage(ty, all));
  for (const s of ast.services) body.push(emitService(ast.pkg, s, all));
  const usesEmpty = body.some((b) => b.includes('EMPTY_BYTES'));
  const imports = ['MessageCodec', ...(usesEmpty ? ['EMPTY_BYTES'] : []), ...(hasMap ? ['ProtoWriter'] : [])];
  const header = [
    `// Generated by scripts/proto-gen.js from src/tfplugin/proto/${path.basename(file)} (npm run proto). Do not edit.`,
    `import { ${imports.join(', ')} } from '../protobuf/wire';`,
    '',
  ];
  return header.join('\n') + body.join('\n');
}

fs.mkdirSync(outDir, { recursive: true });
for (const name of fs
  .readdirSync(protoDir)
  .filter((n) => n.endsWith('.proto'))
  .sort()) {
  const out = path.join(outDir, name.replace(/\.proto$/, '.ts'));
  fs.writeFileSync(out, generate(path.join(protoDir, name)));
  process.stderr.write(`proto-gen: ${path.relative(root, out)}\n`);
}
