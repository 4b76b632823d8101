// Encoding and part count of an SMS text, by the same rules as the gateway's codec
// (src/pdu/segmentation.cpp): GSM 7-bit with the default alphabet and any configured
// national shift tables (3GPP TS 23.038), else UCS-2. Pure: no DOM, no network.
//
// `alphabets` is /api/v1/info's `alphabets`: {"default": {"locking": [128 strings],
// "single": [128 strings]}, "<language>": {"locking": [...] | null, "single": [...]}},
// where "" marks an unassigned code (and the escape 0x1B).

const MAX_SEPTETS = 160;
const MAX_OCTETS = 140;
const MAX_CONCAT_PARTS = 255; // the 8-bit concatenation IE counts parts in one octet

function tableSet(strings) {
  const set = new Set();
  if (!Array.isArray(strings)) return null;
  for (const s of strings) {
    if (typeof s === 'string' && s !== '') set.add(s);
  }
  return set;
}

// Octets of a UDH with its length octet: 5 for the concatenation IE, 3 per national IE.
function udhOctets(concat, nationalIes) {
  const ies = (concat ? 5 : 0) + 3 * nationalIes;
  return ies === 0 ? 0 : ies + 1;
}

// Septets a UDH of `octets` octets takes, fill bits included.
function udhSeptets(octets) {
  return Math.ceil((octets * 8) / 7);
}

export function gsm7Capacity(nationalIes) {
  const left = (concat) => {
    const header = udhOctets(concat, nationalIes);
    return MAX_SEPTETS - (header === 0 ? 0 : udhSeptets(header));
  };
  return { single: left(false), perPart: left(true) };
}

export const UCS2_CAPACITY = {
  single: MAX_OCTETS / 2,
  perPart: (MAX_OCTETS - udhOctets(true, 0)) / 2,
};

// Greedy split over per-character costs: the number of parts and the units in the last.
// A character is never split (escape pairs and surrogate pairs stay whole).
function split(costs, capacity) {
  let total = 0;
  for (const c of costs) total += c;
  if (total <= capacity.single) return { parts: 1, total, lastFill: total, lastCapacity: capacity.single };
  let parts = 1;
  let fill = 0;
  for (const c of costs) {
    if (fill + c > capacity.perPart) {
      parts += 1;
      fill = 0;
    }
    fill += c;
  }
  return { parts, total, lastFill: fill, lastCapacity: capacity.perPart };
}

// Builds a counter for the given alphabets and configured shift tables (the order of
// `shiftTables` is the server's order, which decides ties).
export function makeCounter(alphabets, shiftTables = [], maxParts = 10) {
  const def = alphabets && alphabets.default;
  const defaultLocking = tableSet(def && def.locking) || new Set();
  const defaultSingle = tableSet(def && def.single) || new Set();
  const lockings = [{ name: null, set: defaultLocking }];
  const singles = [{ name: null, set: defaultSingle }];
  for (const name of shiftTables || []) {
    const entry = alphabets && alphabets[name];
    if (!entry) continue;
    const locking = tableSet(entry.locking);
    const single = tableSet(entry.single);
    if (locking && !lockings.some((t) => t.name === name)) lockings.push({ name, set: locking });
    if (single && !singles.some((t) => t.name === name)) singles.push({ name, set: single });
  }
  const limit = Math.min(maxParts || 10, MAX_CONCAT_PARTS);

  function tryPair(chars, locking, single) {
    const costs = new Array(chars.length);
    for (let i = 0; i < chars.length; i += 1) {
      const ch = chars[i];
      if (locking.set.has(ch)) costs[i] = 1;
      else if (single.set.has(ch)) costs[i] = 2;
      else return null;
    }
    const ies = (locking.name ? 1 : 0) + (single.name ? 1 : 0);
    const result = split(costs, gsm7Capacity(ies));
    return { ...result, ies, locking: locking.name, single: single.name };
  }

  function better(a, b) {
    if (a.parts !== b.parts) return a.parts < b.parts;
    if (a.ies !== b.ies) return a.ies < b.ies;
    return a.total < b.total;
  }

  // {encoding: "gsm7"|"ucs2", parts, units (septets or UTF-16 code units), lastFill,
  //  lastCapacity, locking, single (language names or null), tooLong, maxParts}
  return function count(text) {
    const chars = Array.from(text || ''); // code points
    let best = null;
    for (const locking of lockings) {
      for (const single of singles) {
        const candidate = tryPair(chars, locking, single);
        if (candidate && (!best || better(candidate, best))) best = candidate;
      }
    }
    if (best) {
      return {
        encoding: 'gsm7',
        parts: best.parts,
        units: best.total,
        lastFill: best.lastFill,
        lastCapacity: best.lastCapacity,
        locking: best.locking,
        single: best.single,
        tooLong: best.parts > limit,
        maxParts: limit,
      };
    }
    const costs = chars.map((ch) => ch.length); // 2 for a surrogate pair
    const result = split(costs, UCS2_CAPACITY);
    return {
      encoding: 'ucs2',
      parts: result.parts,
      units: result.total,
      lastFill: result.lastFill,
      lastCapacity: result.lastCapacity,
      locking: null,
      single: null,
      tooLong: result.parts > limit,
      maxParts: limit,
    };
  };
}
