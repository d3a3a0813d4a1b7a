/* Mutu Baku Waktu text, as engine/waktu.py parses it: "2.550 menit", "300 Menit", "1,5 jam",
   "3 hari kerja", or "-" / "" for unspecified. The panel writes "<amount> <unit>" with a decimal
   comma ("1,5 jam") and no thousands dots, which the engine reads back unchanged. */

export const UNITS = ["menit", "jam", "hari", "hari kerja"];

const WAKTU_RE = /^\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(menit|jam|hari\s+kerja|hari)\s*\.?\s*$/i;
const UNSPECIFIED = new Set(["", "-", "\u2013", "\u2014"]);

/** { text, amount (number|null), unit (string|null), unparsed (bool) } */
export function parseWaktu(text) {
  const raw = (text || "").trim();
  if (UNSPECIFIED.has(raw)) {
    return { text: raw, amount: null, unit: null, unparsed: false };
  }
  const match = WAKTU_RE.exec(raw);
  if (!match) {
    return { text: raw, amount: null, unit: null, unparsed: true };
  }
  const amount = Number(match[1].replace(/\./g, "") + "." + (match[2] || "0"));
  const unit = match[3].toLowerCase().replace(/\s+/g, " ");
  return { text: raw, amount, unit, unparsed: false };
}

/** A number the engine accepts as a Waktu amount: finite and not negative. */
export function validAmount(amount) {
  return typeof amount === "number" && Number.isFinite(amount) && amount >= 0;
}

export function formatWaktu(amount, unit) {
  const fixed = Number.isInteger(amount) ? String(amount) : amount.toFixed(6).replace(/0+$/, "");
  const number = fixed.replace(".", ",");
  return number + " " + unit;
}
