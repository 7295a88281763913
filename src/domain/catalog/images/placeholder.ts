import { IMAGE_SIZES } from "./keys.ts";
import { loadSharp } from "./load-sharp.ts";

const WIDTH = IMAGE_SIZES.full;
const HEIGHT = 1200;
const MAX_LABEL_LENGTH = 40;

/**
 * A stand-in product photo made on this machine, for seed data and demos: a pastel background,
 * a ball of yarn and the label. The same label and seed give the same PNG bytes, so seeding twice
 * stores the same files. Text is drawn with the fonts fontconfig finds; where there are none, the
 * picture is still made, only without the label.
 */
export async function renderPlaceholder(label: string, seed: number): Promise<Uint8Array> {
  const svg = placeholderSvg(label, seed);
  const sharp = await loadSharp();
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
}

function placeholderSvg(label: string, seed: number): string {
  const hue = pseudoRandom(seed) * 360;
  const background = hsl(hue, 70, 90);
  const yarn = hsl((hue + 180) % 360, 55, 62);
  const strand = hsl((hue + 180) % 360, 45, 45);
  const text = shortened(label);
  const fontSize = Math.min(88, Math.floor(2100 / Math.max(text.length, 1)));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
  <rect width="100%" height="100%" fill="${background}"/>
  <path d="M 1010 640 C 1150 700, 1120 860, 1300 880 S 1480 960, 1560 900" fill="none" stroke="${strand}" stroke-width="14" stroke-linecap="round"/>
  <clipPath id="ball"><circle cx="800" cy="520" r="260"/></clipPath>
  <circle cx="800" cy="520" r="260" fill="${yarn}"/>
  <g clip-path="url(#ball)" fill="none" stroke="${strand}" stroke-width="12" stroke-linecap="round" opacity="0.75">
    <path d="M 520 400 C 680 300, 920 300, 1080 410"/>
    <path d="M 520 480 C 680 380, 920 390, 1080 500"/>
    <path d="M 520 560 C 690 460, 910 470, 1080 580"/>
    <path d="M 520 640 C 700 540, 900 550, 1080 660"/>
    <path d="M 660 240 C 560 400, 580 640, 690 800"/>
    <path d="M 760 240 C 680 400, 690 640, 780 800"/>
    <path d="M 940 240 C 1040 400, 1020 640, 910 800"/>
  </g>
  <text x="800" y="1010" text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="${fontSize}" font-weight="bold" fill="${strand}">${escapeXml(text)}</text>
</svg>`;
}

/** One step of mulberry32: a well-spread number in [0, 1) from any integer seed. */
function pseudoRandom(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function hsl(hue: number, saturation: number, lightness: number): string {
  return `hsl(${hue.toFixed(1)}, ${saturation}%, ${lightness}%)`;
}

/** At most 40 characters, without the control characters XML does not allow. */
function shortened(label: string): string {
  const printable = [...label]
    .filter((char) => char >= " " || char === "\t")
    .join("")
    .trim();
  const characters = [...printable];
  return characters.length > MAX_LABEL_LENGTH
    ? `${characters.slice(0, MAX_LABEL_LENGTH - 1).join("")}…`
    : printable;
}

/** The label is data, never markup: no element or entity of it reaches the SVG renderer. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
