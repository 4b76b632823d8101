// CSV (RFC 4180) for the bulk upload: comma-separated, fields in double quotes may hold
// commas, line breaks and doubled quotes. Pure: no DOM, no network.

// Splits text into records: [{line, fields}] where `line` is the 1-based line the record
// starts on. Throws an Error naming the line when a quoted field never ends.
export function parseCsv(text) {
  const records = [];
  let i = 0;
  let line = 1;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields = [];
    let field = '';
    let quotedField = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = text[i];
      if (c === '"' && field === '' && !quotedField) {
        // A quoted field: up to the closing quote; "" is one quote.
        quotedField = true;
        i += 1;
        let closed = false;
        while (i < n) {
          const q = text[i];
          if (q === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (q === '\n') line += 1;
          field += q;
          i += 1;
        }
        if (!closed) throw new Error(`line ${startLine}: a quoted field is not closed`);
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        quotedField = false;
        i += 1;
      } else if (c === '\r' || c === '\n') {
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        endOfRecord = true;
      } else {
        field += c;
        i += 1;
      }
    }
    fields.push(field);
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) {
      records.push({ line: startLine, fields });
    }
  }
  return records;
}

export const CSV_COLUMNS = ['to', 'text', 'priority', 'send_at', 'reference'];

const RFC3339 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

// A send_at cell as RFC 3339: kept when it has a zone, else read as the browser's local time.
export function sendAtFromCell(value) {
  const v = value.trim();
  if (RFC3339.test(v)) {
    if (Number.isNaN(Date.parse(v.replace(' ', 'T')))) return null;
    return v.replace(' ', 'T');
  }
  const m = LOCAL_TIME.exec(v);
  if (!m) return null;
  const date = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString();
}

// Turns the records of an upload into submissions. The first record is the header (the
// column names, any order; to and text required). Returns {rows, error}: rows are
// {line, message, error}; a row with an error is not submitted.
export function messagesFromCsv(text) {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    return { rows: [], error: e.message };
  }
  if (records.length === 0) return { rows: [], error: 'The file is empty.' };
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  const unknown = header.filter((h) => !CSV_COLUMNS.includes(h));
  if (unknown.length) {
    return {
      rows: [],
      error: `The header row names unknown columns (${unknown.join(', ')}); use ${CSV_COLUMNS.join(', ')}.`,
    };
  }
  if (!header.includes('to') || !header.includes('text')) {
    return { rows: [], error: 'The header row must name the columns to and text (e.g. "to,text").' };
  }
  if (new Set(header).size !== header.length) {
    return { rows: [], error: 'The header row names a column twice.' };
  }
  const rows = [];
  for (const record of records.slice(1)) {
    const cell = (name) => {
      const index = header.indexOf(name);
      return index >= 0 && index < record.fields.length ? record.fields[index] : '';
    };
    const row = { line: record.line, message: null, error: null };
    rows.push(row);
    if (record.fields.length > header.length) {
      row.error = `${record.fields.length} fields, the header has ${header.length}`;
      continue;
    }
    const message = { to: cell('to').trim(), text: cell('text') };
    if (!message.to) {
      row.error = 'to is empty';
      continue;
    }
    if (!message.text) {
      row.error = 'text is empty';
      continue;
    }
    const priority = cell('priority').trim();
    if (priority !== '') {
      if (!/^[+-]?\d+$/.test(priority)) {
        row.error = `priority "${priority}" is not a whole number`;
        continue;
      }
      message.priority = Number.parseInt(priority, 10);
    }
    const sendAt = cell('send_at').trim();
    if (sendAt !== '') {
      const iso = sendAtFromCell(sendAt);
      if (!iso) {
        row.error = `send_at "${sendAt}" is not a time like 2026-12-05T09:30 or RFC 3339`;
        continue;
      }
      message.send_at = iso;
    }
    const reference = cell('reference');
    if (reference !== '') message.reference = reference;
    row.message = message;
  }
  if (rows.length === 0) return { rows, error: 'The file has a header row but no messages.' };
  return { rows, error: null };
}
