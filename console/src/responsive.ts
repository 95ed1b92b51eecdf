/**
 * Tables that turn into cards on a phone. Under 640 px (styles.css, "Tables as cards") every
 * `<table>` inside a `.table-wrap` shows each row as a card and each cell as "header: value",
 * so nothing runs off the right edge of a 390 px screen. The header each cell shows is its
 * `data-label`: written here from the table's column headers, for every table the console draws
 * (pages need not do anything; a cell that sets its own `data-label` keeps it). A table that
 * should stay a grid on a phone (a small one that fits) has the class `keep-table`.
 */
import { useCallback } from 'react';

/** The column headers' words (`<thead>`'s last row, colspans spread), by column index. */
function columnLabels(table: HTMLTableElement): string[] {
  const head = table.tHead?.rows;
  const row = head?.[head.length - 1];
  if (!row) return [];
  const labels: string[] = [];
  for (const cell of Array.from(row.cells)) {
    const text = (cell.textContent ?? '').replace(/\s+/g, ' ').trim();
    for (let i = 0; i < Math.max(1, cell.colSpan); i += 1) labels.push(cell.colSpan > 1 && i > 0 ? '' : text);
  }
  return labels;
}

/** Writes `data-label` on the body and footer cells of `table` from its column headers. */
export function labelTableCells(table: HTMLTableElement): void {
  const labels = columnLabels(table);
  if (!labels.length) return;
  for (const section of [...Array.from(table.tBodies), ...(table.tFoot ? [table.tFoot] : [])]) {
    for (const row of Array.from(section.rows)) {
      let column = 0;
      for (const cell of Array.from(row.cells)) {
        const own = cell.dataset.label !== undefined && cell.dataset.auto === undefined;
        if (!own) {
          // A cell across several columns (a "no rows" note, a total's caption) gets no header.
          const label = cell.colSpan > 1 ? '' : (labels[column] ?? '');
          if (cell.dataset.label !== label) cell.dataset.label = label;
          cell.dataset.auto = '';
        }
        column += Math.max(1, cell.colSpan);
      }
    }
  }
}

/**
 * A callback ref for the element whose tables are labelled: now, and whenever rows or tables are
 * added or their headers' words change (the element may be replaced, e.g. on signing in).
 */
export function useCardTables(): (element: HTMLElement | null) => (() => void) | undefined {
  return useCallback((element: HTMLElement | null) => {
    if (!element) return undefined;
    const labelAll = () => element.querySelectorAll('table').forEach((table) => labelTableCells(table));
    labelAll();
    const observer = new MutationObserver((mutations) => {
      // Only changes to a table's rows or its headers' words (a ticking clock's text is not one).
      if (mutations.some(touchesTable)) labelAll();
    });
    observer.observe(element, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }, []);
}

function touchesTable(m: MutationRecord): boolean {
  if (m.type === 'characterData') return !!m.target.parentElement?.closest('thead');
  const target = m.target as Element;
  if (target.closest?.('table')) return true;
  for (const node of Array.from(m.addedNodes))
    if (node instanceof Element && (node.tagName === 'TABLE' || node.querySelector('table'))) return true;
  return false;
}
