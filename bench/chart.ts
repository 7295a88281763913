// A small hand-written SVG: requests/s and p99 per scenario, side by side, one row per scenario.

export interface ChartRow {
  name: string;
  requestsPerSecond: number;
  p99Ms: number | null;
}

const LABEL_WIDTH = 270;
const PANEL_WIDTH = 300;
const GAP = 80;
const ROW_HEIGHT = 26;
const TOP = 56;
const BAR_HEIGHT = 16;

export function throughputChart(rows: readonly ChartRow[], title: string): string {
  const width = LABEL_WIDTH + 2 * PANEL_WIDTH + GAP + 70;
  const height = TOP + rows.length * ROW_HEIGHT + 20;
  const maxRate = Math.max(1, ...rows.map((row) => row.requestsPerSecond));
  const maxP99 = Math.max(1, ...rows.map((row) => row.p99Ms ?? 0));
  const rateX = LABEL_WIDTH;
  const p99X = LABEL_WIDTH + PANEL_WIDTH + GAP;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${xml(title)}</text>`,
    `<text x="${rateX}" y="${TOP - 12}" font-weight="bold">requests/s (higher is better)</text>`,
    `<text x="${p99X}" y="${TOP - 12}" font-weight="bold">p99 latency, ms (lower is better)</text>`,
  ];
  rows.forEach((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const rateWidth = (row.requestsPerSecond / maxRate) * PANEL_WIDTH;
    const p99Width = ((row.p99Ms ?? 0) / maxP99) * PANEL_WIDTH;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${xml(row.name)}</text>`,
      `<rect x="${rateX}" y="${y}" width="${rateWidth.toFixed(1)}" height="${BAR_HEIGHT}" fill="#4a7fb5"/>`,
      `<text x="${(rateX + rateWidth + 4).toFixed(1)}" y="${y + 12}">${row.requestsPerSecond.toLocaleString("en-US")}</text>`,
      `<rect x="${p99X}" y="${y}" width="${p99Width.toFixed(1)}" height="${BAR_HEIGHT}" fill="#c8643b"/>`,
      `<text x="${(p99X + p99Width + 4).toFixed(1)}" y="${y + 12}">${row.p99Ms ?? "n/a"}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
