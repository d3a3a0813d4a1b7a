/* A block pasted from Excel or LibreOffice: tab-separated text, one line a row; a cell holding
   tabs, line breaks or quotes comes quoted ("a""b"), as Excel writes it. */

/** The rows of cells of a tab-separated text (a final line break ends the last row). */
export function parseTsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let i = 0;
  const source = String(text || "").replace(/\r\n?/g, "\n");
  let atCellStart = true;
  while (i < source.length) {
    const ch = source[i];
    if (atCellStart && ch === '"') {
      // a quoted cell: up to the closing quote; "" is one quote
      let j = i + 1;
      let value = "";
      while (j < source.length) {
        if (source[j] === '"') {
          if (source[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += source[j];
        j += 1;
      }
      if (j < source.length && (source[j + 1] === "\t" || source[j + 1] === "\n" || j + 1 === source.length)) {
        cell = value;
        i = j + 1;
        atCellStart = false;
        continue;
      }
      // not a well-formed quoted cell: take the quote literally
    }
    atCellStart = false;
    if (ch === "\t") {
      row.push(cell);
      cell = "";
      atCellStart = true;
    } else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      atCellStart = true;
    } else {
      cell += ch;
    }
    i += 1;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const PARTICIPANT_MARKS = new Set(["o", "○", "◦", "peserta", "participant", "(x)", "+"]);

/** An actor cell's mark: "" none, "P" performer, "S" participant (peserta). */
export function parseMark(text) {
  const value = String(text || "").trim().toLowerCase();
  if (!value || value === "-" || value === "–") {
    return "";
  }
  return PARTICIPANT_MARKS.has(value) ? "S" : "P";
}
